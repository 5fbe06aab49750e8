package io.github.cdsengine.core.testing;

import java.util.concurrent.CountDownLatch;

/** Latches that test rules release from their actions, so tests can wait for a firing. */
public final class RuleSignals {

  /** Released by a slow rule once its evaluation is under way. */
  public static final CountDownLatch SLOW_RULE_STARTED = new CountDownLatch(1);

  /** Released by the same slow rule as the last thing its action does. */
  public static final CountDownLatch SLOW_RULE_FINISHED = new CountDownLatch(1);

  private RuleSignals() {}
}
