/**
 * The exceptions a host catches and the warnings it shows: bad rule sets
 * ({@link io.github.cdsengine.core.problem.RuleSetException}, each problem with file and line),
 * bad input ({@link io.github.cdsengine.core.problem.InvalidDataException}), and
 * {@link io.github.cdsengine.core.problem.DataWarning}s about data that was read but cannot count.
 * A leaf: every other package may use it, it uses none of them.
 */
package io.github.cdsengine.core.problem;
