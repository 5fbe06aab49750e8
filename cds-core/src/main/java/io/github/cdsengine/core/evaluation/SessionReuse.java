package io.github.cdsengine.core.evaluation;

/**
 * How an engine readies a rule session for the next evaluation once an evaluation is done. Either
 * way a session serves one evaluation at a time, and a session whose evaluation failed or ran
 * past its time bound is discarded, never reused. Both give the same results; they differ in
 * cost. A rule set with a rule whose first condition is not a fact pattern (a {@code from},
 * {@code collect}, {@code accumulate}, query call, {@code eval}, {@code not}, {@code exists} or
 * none) always resets: such a rule hangs off the session's initial tuple, which deleting the facts
 * does not clear, so it would keep what it computed for one patient or not fire again.
 */
public enum SessionReuse {

  /**
   * Deletes every fact the evaluation left in the session, one at a time, letting the network
   * settle after each delete (no rule action runs), then checks that the session holds no fact.
   * The cost follows the number of facts. The default: an evaluation inserts tens of facts while
   * a rule base of several measures has hundreds of node memories.
   */
  DELETE_FACTS,

  /**
   * Lets Drools reset a pooled session: every node memory the rule base has used is cleared,
   * whatever the evaluation touched. The cost follows the size of the rule base. Drools' pool
   * takes back every session it lent, so to discard one the engine replaces the whole pool (the
   * old one is shut down once its other sessions come back): the evaluations after a failure
   * start with fresh sessions.
   */
  RESET
}
