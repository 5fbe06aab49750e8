/**
 * The host's door: build a {@link io.github.cdsengine.core.CdsEngine} once with its
 * {@link io.github.cdsengine.core.CdsEngine.Builder}, then evaluate patient records at a given
 * clinical instant. What goes in and comes out is in {@link io.github.cdsengine.core.evaluation};
 * the errors a host catches are in {@link io.github.cdsengine.core.problem}; rule packs are loaded
 * with {@link io.github.cdsengine.core.pack.RulePack}.
 */
package io.github.cdsengine.core;
