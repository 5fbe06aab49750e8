/** CDS Hooks 2.0 out: cards, responses and the service discovery document, as JSON. */
package io.github.cdsengine.core.hooks;
