/**
 * Internal: the rule policy, which checks DRL text against an allow-list before anything is
 * compiled. Not an API; left out of the published Javadoc.
 */
package io.github.cdsengine.core.policy;
