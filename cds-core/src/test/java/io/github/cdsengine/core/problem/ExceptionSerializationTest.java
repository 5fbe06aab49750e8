package io.github.cdsengine.core.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.evaluation.EvaluationException;
import io.github.cdsengine.core.evaluation.RuleFailure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exceptions a host catches survive Java serialization with what they list. */
class ExceptionSerializationTest {

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void aRuleSetExceptionKeepsItsProblems() throws Exception {
    RuleSetException e = new RuleSetException(List.of(new RuleProblem("a.drl", 3, "bad")));
    assertThat(roundTrip(e).problems()).containsExactly(new RuleProblem("a.drl", 3, "bad"));
  }

  @Test
  void anEvaluationExceptionKeepsItsFailures() throws Exception {
    EvaluationException e = new EvaluationException(List.of(new RuleFailure("R", "stopped")));
    assertThat(roundTrip(e).failures()).containsExactly(new RuleFailure("R", "stopped"));
  }
}
