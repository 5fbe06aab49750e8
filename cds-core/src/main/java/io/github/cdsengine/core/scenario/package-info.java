/**
 * Scenario files: a test patient, the clinical instant to evaluate it at, and the
 * recommendations expected, so that rule authors can pin what their rules do.
 */
package io.github.cdsengine.core.scenario;
