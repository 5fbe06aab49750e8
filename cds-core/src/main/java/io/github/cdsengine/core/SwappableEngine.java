package io.github.cdsengine.core;

import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.terminology.ValueSets;
import java.util.List;
import java.util.Objects;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.core.evaluation.MeasureDefinition;

/**
 * An engine whose rule set can be replaced while hosts keep evaluating: every result comes
 * wholly from the engine in place when the evaluation started, old or new, and says which in
 * {@link EvaluationResult#ruleSet()}.
 *
 * <pre>{@code
 * SwappableEngine engine = SwappableEngine.of(CdsEngine.builder().addRulePacks(v1).build());
 * engine.evaluate(record, context);                          // from v1
 * engine.swap(CdsEngine.builder().addRulePacks(v2).build()); // build v2 first, then swap
 * }</pre>
 *
 * <p>The holder owns the engines given to it: {@link #swap} closes the engine it replaces once
 * the evaluations under way on it have completed, and {@link #close} closes the current one.
 * Thread-safe. The methods that describe the rules ({@link #rules()}, {@link #packs()}, ...)
 * describe the current engine, which may change between two calls: read {@link
 * EvaluationResult#ruleSet()} to know which rules produced a result.
 */
public final class SwappableEngine implements CdsEngine {

  private volatile CdsEngine current;
  private boolean closed; // guarded by this

  private SwappableEngine(CdsEngine initial) {
    this.current = initial;
  }

  /**
   * Holds {@code initial}, which the holder now owns.
   *
   * @param initial the engine to evaluate on until the first {@link #swap}; the holder closes it
   *     when it is replaced or when the holder is closed
   * @return a holder with {@code initial} in place
   * @throws NullPointerException if {@code initial} is null
   * @throws IllegalArgumentException if {@code initial} is itself a {@code SwappableEngine}
   */
  public static SwappableEngine of(CdsEngine initial) {
    return new SwappableEngine(checked(initial));
  }

  /**
   * Puts {@code next} in place of the current engine, then closes the engine it replaced, which
   * waits for the evaluations under way on it to complete. Evaluations that start after the
   * swap use {@code next}; an evaluation that picked the old engine just as it closed is run
   * again on {@code next}. Returns once the old engine is closed.
   *
   * @param next the engine to evaluate on from now on, already built; the holder now owns it
   * @throws NullPointerException if {@code next} is null
   * @throws IllegalArgumentException if {@code next} is a {@code SwappableEngine} or the engine
   *     already in place
   * @throws IllegalStateException if this holder is closed ({@code next} is not taken)
   */
  public void swap(CdsEngine next) {
    checked(next);
    CdsEngine old;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the engine is closed");
      }
      if (next == current) {
        throw new IllegalArgumentException("the engine given is already in place");
      }
      old = current;
      current = next;
    }
    old.close();
  }

  /**
   * Evaluates on the engine in place, as {@link CdsEngine#evaluate}; the result's {@link
   * EvaluationResult#ruleSet()} says which engine that was.
   *
   * @throws NullPointerException if an argument is null
   * @throws io.github.cdsengine.core.evaluation.EvaluationException under {@link
   *     io.github.cdsengine.core.evaluation.FailurePolicy#FAIL_CLOSED} when a rule fails
   * @throws IllegalStateException if this holder is closed
   */
  @Override
  public EvaluationResult evaluate(PatientRecord record, EvaluationContext context) {
    Objects.requireNonNull(record, "record");
    return onCurrent(engine -> engine.evaluate(record, context), context);
  }

  private EvaluationResult onCurrent(java.util.function.Function<CdsEngine, EvaluationResult> run,
      EvaluationContext context) {
    Objects.requireNonNull(context, "context");
    while (true) {
      CdsEngine engine = current;
      try {
        return run.apply(engine);
      } catch (IllegalStateException e) {
        // The engine closed after this evaluation picked it: swapped out, so run on its
        // successor. When it is still in place, this holder itself is closed.
        if (current == engine) {
          throw e;
        }
      }
    }
  }

  @Override
  public List<RuleInfo> rules() {
    return current.rules();
  }

  @Override
  public List<String> packs() {
    return current.packs();
  }

  @Override
  public String ruleSet() {
    return current.ruleSet();
  }

  @Override
  public List<MeasureDefinition> measures() {
    return current.measures();
  }

  @Override
  public ValueSets valueSets() {
    return current.valueSets();
  }

  /** Closes the current engine, waiting for evaluations under way; later swaps throw. */
  @Override
  public void close() {
    CdsEngine engine;
    synchronized (this) {
      closed = true;
      engine = current;
    }
    engine.close();
  }

  private static CdsEngine checked(CdsEngine engine) {
    Objects.requireNonNull(engine, "engine");
    if (engine instanceof SwappableEngine) {
      throw new IllegalArgumentException("a SwappableEngine cannot hold another: " + engine);
    }
    return engine;
  }
}
