package io.github.cdsengine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.*;
import io.github.cdsengine.core.model.*;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PackSmokeTest {
  @Test
  void smoke() {
    try (CdsEngine engine = CdsEngine.builder().addRulePacks(ShippedRulePacks.all()).build()) {
      System.out.println(engine.rules());
      PatientRecord record = PatientRecord.builder(new Patient("p1", LocalDate.of(1970, 1, 1), AdministrativeGender.FEMALE)).build();
      EvaluationResult result = engine.evaluate(record, EvaluationContext.on(LocalDate.of(2025, 1, 1), ZoneOffset.UTC));
      System.out.println(result);
      assertThat(result.recommendations()).hasSize(1);
    }
  }
}
