/**
 * Isolated evaluation: rule sets from outside run in worker JVMs with their own heap, CPU-time
 * and wall-clock bounds, so that no rule can take the host down.
 *
 * <p>{@link io.github.cdsengine.core.isolated.IsolatedEngine#builder()} takes the rule inputs
 * {@link io.github.cdsengine.core.CdsEngine.Builder} takes, plus worker settings (how many
 * workers, heap, thread stack, per-evaluation deadline, {@code java} executable, class path,
 * extra JVM options), and builds a {@link io.github.cdsengine.core.CdsEngine}. Each worker is a
 * JVM started with {@link java.lang.ProcessBuilder} on the host's {@code java} and class path,
 * with {@code -Xmx}, {@code -Xss} and {@code -XX:+ExitOnOutOfMemoryError}, and with the
 * launcher's environment options ({@code JAVA_TOOL_OPTIONS} and the like) removed, so no agent
 * or debugger rides along. It builds its engine once, with the rule policy on, and serves one
 * evaluation at a time over standard input and output, in length-prefixed frames of JSON
 * (Jackson, each message read into the record type the protocol expects; never Java
 * serialization, so a worker running hostile code cannot send the host a deserialization
 * gadget). Its own logging goes to standard error, which the host drains and drops.
 *
 * <p>What it contains: a worker that runs out of memory, exits, crashes, breaks the protocol or
 * passes the deadline (an action that loops forever, which no in-JVM bound can stop) is killed;
 * the evaluation returns an incomplete result whose one failure, rule {@code (isolation)}, names
 * what happened ({@code worker ran out of memory (-Xmx256m)}, {@code worker exceeded the 10 s
 * deadline}, {@code worker exited with code 1}); under {@link
 * io.github.cdsengine.core.evaluation.FailurePolicy#FAIL_CLOSED} evaluate throws instead; and a
 * fresh worker replaces it. Everything the in-process engine reports (rule failures, the
 * firing and time bounds, deep recursion) is reported the same way, from inside the worker.
 *
 * <p>What it does not: a worker is an ordinary process of the host's user. It bounds resources,
 * not permissions: rule code that the policy lets through, or that runs with the policy off,
 * can do in the worker what that user can do. Run the host in a container or under an account
 * with no rights it does not need as well.
 */
package io.github.cdsengine.core.isolated;
