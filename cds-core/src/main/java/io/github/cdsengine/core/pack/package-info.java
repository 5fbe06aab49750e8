/**
 * Rule packs and rule files: a {@link io.github.cdsengine.core.pack.RulePack} is a manifest with its
 * DRL files, value sets, measures and settings, loaded from the class path or a folder; a
 * {@link io.github.cdsengine.core.pack.RuleFile} is one DRL text with its name. A pack may be
 * signed ({@code pack.sig}): {@link io.github.cdsengine.core.pack.PackSigningKey} signs, {@link
 * io.github.cdsengine.core.pack.TrustedKeys} checks against the keys a host trusts.
 */
package io.github.cdsengine.core.pack;
