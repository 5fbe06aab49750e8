/**
 * Engine internals that the rule runtime must reach by class name. Not an API: anything here may
 * change in any release.
 */
package io.github.cdsengine.core.internal;
