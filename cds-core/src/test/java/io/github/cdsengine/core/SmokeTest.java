package io.github.cdsengine.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.*;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void smoke() {
    try (CdsEngine engine = CdsEngine.builder()
        .addValueSet(TestRules.COLONOSCOPY)
        .addRules(TestRules.file("smoke.drl",
            TestRules.recommending("Adult", "adult-rec", "USPSTF:A", "screening", "warning",
                "    $age : PatientAge(years >= 18)\n    not Procedure(completed, valueSets.includes(\"test-colonoscopy\", code))", "adult"),
            TestRules.supporting("Throws", "    Patient()", "    throw new IllegalStateException(\"boom\");")))
        .build()) {
      PatientRecord record = PatientRecord.builder(new Patient("p1", LocalDate.of(1970, 1, 1), AdministrativeGender.FEMALE)).build();
      EvaluationResult result = engine.evaluate(record, EvaluationContext.on(LocalDate.of(2025, 1, 1), ZoneOffset.UTC));
      System.out.println(result);
      assertThat(result.recommendations()).hasSize(1);
    }
  }
}
