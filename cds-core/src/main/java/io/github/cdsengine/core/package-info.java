/**
 * The engine's public API: build a {@link io.github.cdsengine.core.CdsEngine} once, then evaluate
 * patient records at a given clinical instant to get ranked, explained recommendations.
 */
package io.github.cdsengine.core;
