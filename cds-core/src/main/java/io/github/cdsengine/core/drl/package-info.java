/**
 * Internal: reading DRL text (tokens, rule and query declarations, value-set references) for the
 * build's checks, the rule policy and the lint. Not an API; left out of the published Javadoc.
 */
package io.github.cdsengine.core.drl;
