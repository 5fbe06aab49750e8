/** Value sets: named sets of (system, code) pairs that rules match codes against. */
package io.github.cdsengine.core.terminology;
