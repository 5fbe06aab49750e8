package io.github.cdsengine.core.engine;

/** Receives the exception of a rule whose action threw. Not an API. */
interface RuleFailureSink {

  /** The action of the rule named {@code rule} threw {@code error}. */
  void ruleFailed(String rule, Exception error);
}
