/**
 * Internal: the engine on Drools. {@link io.github.cdsengine.core.engine.RuleBaseCompiler}
 * compiles rule files into {@link io.github.cdsengine.core.engine.CompiledRules};
 * {@link io.github.cdsengine.core.engine.DroolsEngine} evaluates records against them with pooled
 * sessions. Hosts use {@link io.github.cdsengine.core.CdsEngine} instead. Not an API: anything here
 * may change in any release, and it is left out of the published Javadoc.
 */
package io.github.cdsengine.core.engine;
