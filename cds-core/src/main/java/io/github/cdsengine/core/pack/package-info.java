/**
 * Rule packs and rule files: a {@link io.github.cdsengine.core.pack.RulePack} is a manifest with its
 * DRL files, value sets, measures and settings, loaded from the class path or a folder; a
 * {@link io.github.cdsengine.core.pack.RuleFile} is one DRL text with its name.
 */
package io.github.cdsengine.core.pack;
