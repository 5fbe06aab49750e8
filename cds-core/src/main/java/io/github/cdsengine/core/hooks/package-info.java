/**
 * CDS Hooks 2.0: cards, responses and the service discovery document as JSON, and the contract a
 * request must meet for a service to answer it.
 */
package io.github.cdsengine.core.hooks;
