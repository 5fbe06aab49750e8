package io.github.cdsengine.core.evaluation;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How many interruptive recommendations ({@link Severity#CRITICAL} and {@link Severity#WARNING},
 * the cards an EHR shows in the way of the clinician's work) one evaluation may show, and how
 * soon one may interrupt again after a clinician acknowledged it; what exceeds is shown as {@link
 * Severity#INFO} instead, its detail saying why. Give it to an evaluation with {@link
 * EvaluationContext#withInterruptiveBudget}; {@link #OFF} (the default) changes nothing.
 *
 * <p>The shown recommendations are taken in ranking order (see {@link
 * io.github.cdsengine.core.evaluation.Recommendation#rankReason()}), counting only those {@link
 * #scope} holds:
 *
 * <ol>
 *   <li>an interruptive recommendation with an {@link Acknowledgement} at {@code a} (the latest
 *       one not after the evaluation instant) is demoted while the instant is before {@code a +
 *       repeatWindow}; from {@code a + repeatWindow} exactly it interrupts again;
 *   <li>of the others, the first {@code maxInterruptive} keep their severity and every one after
 *       them is demoted.
 * </ol>
 *
 * A demoted recommendation keeps its id, title, evidence and rationale; its severity becomes
 * {@code info}, a sentence saying why is added to its detail and its {@link
 * Recommendation#rankReason()} says it was demoted, and the list is ranked again (so demoted ones
 * follow the interruptive ones). The same input always gives the same result.
 *
 * @param maxInterruptive the most interruptive recommendations shown as such in one evaluation;
 *     {@link Integer#MAX_VALUE} for no limit
 * @param repeatWindow how long after an acknowledgement the same recommendation is not
 *     interruptive again for the same patient; {@link Duration#ZERO} for no window
 * @param scope the ids of the recommendations counted and demoted (for a CDS Hooks service, those
 *     it shows as cards); empty for every recommendation
 */
public record InterruptiveBudget(int maxInterruptive, Duration repeatWindow, Set<String> scope) {

  /** No budget: nothing is counted or demoted. The default of every evaluation. */
  public static final InterruptiveBudget OFF =
      new InterruptiveBudget(Integer.MAX_VALUE, Duration.ZERO, Set.of());

  /**
   * Checks the fields.
   *
   * @param maxInterruptive the most interruptive recommendations shown as such; zero or more
   * @param repeatWindow how long an acknowledged recommendation is not interruptive again; never
   *     null or negative
   * @param scope the ids of the recommendations counted and demoted, empty for all; copied,
   *     never null
   * @throws NullPointerException if repeatWindow, scope or an id in it is null
   * @throws IllegalArgumentException quoting the value if maxInterruptive or repeatWindow is
   *     negative
   */
  public InterruptiveBudget {
    Objects.requireNonNull(repeatWindow, "repeatWindow");
    if (maxInterruptive < 0) {
      throw new IllegalArgumentException("the most interruptive recommendations is zero or "
          + "more, not " + maxInterruptive);
    }
    if (repeatWindow.isNegative()) {
      throw new IllegalArgumentException("the repeat window is zero or more, not "
          + repeatWindow);
    }
    scope = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(scope));
  }

  /**
   * A budget of {@code maxInterruptive} interruptive recommendations per evaluation and a repeat
   * window of {@code repeatWindow}, over every recommendation.
   *
   * @param maxInterruptive the most interruptive recommendations shown as such; zero or more
   * @param repeatWindow how long an acknowledged recommendation is not interruptive again; zero
   *     for no window
   * @return the budget
   * @throws NullPointerException if repeatWindow is null
   * @throws IllegalArgumentException quoting the value if either is negative
   */
  public static InterruptiveBudget of(int maxInterruptive, Duration repeatWindow) {
    return new InterruptiveBudget(maxInterruptive, repeatWindow, Set.of());
  }

  /**
   * This budget counting and demoting only the recommendations {@code recommendationIds} names:
   * those one CDS Hooks service shows as its cards, when an evaluation serves several services.
   *
   * @param recommendationIds the recommendation ids in scope; empty for every recommendation
   * @return a budget with the same limits and this scope
   * @throws NullPointerException if the collection or an id in it is null
   */
  public InterruptiveBudget onlyFor(Collection<String> recommendationIds) {
    return new InterruptiveBudget(maxInterruptive, repeatWindow, Set.copyOf(recommendationIds));
  }

  /**
   * Whether this budget changes nothing: no limit on the count and no repeat window.
   *
   * @return {@code true} for {@link #OFF} and every budget like it
   */
  public boolean off() {
    return maxInterruptive == Integer.MAX_VALUE && repeatWindow.isZero();
  }

  /**
   * Whether the recommendation {@code recommendationId} is counted and may be demoted.
   *
   * @param recommendationId a recommendation id
   * @return {@code true} when the scope is empty or holds it
   */
  public boolean covers(String recommendationId) {
    return scope.isEmpty() || scope.contains(recommendationId);
  }
}
