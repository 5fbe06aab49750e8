package host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

// The engine's types. CdsEngine stays in io.github.cdsengine.core; if the others move, only
// these imports change.
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.rules.ShippedRulePacks;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A host that has only the installed artifacts: the shipped packs, one patient, one recommendation. */
class HostTest {

  @Test
  void theShippedGuidelinePacksRecommendColorectalScreeningAt47() {
    try (CdsEngine engine = CdsEngine.builder()
        .addRulePacks(ShippedRulePacks.guidelines())
        .build()) {
      PatientRecord record = PatientRecord.builder(
          new Patient("pt-1", LocalDate.of(1978, 2, 11), AdministrativeGender.MALE)).build();
      var result = engine.evaluate(record, EvaluationContext.at(
          ZonedDateTime.of(2025, 6, 15, 9, 30, 0, 0, ZoneId.of("America/New_York"))));
      assertTrue(result.complete(), () -> "failures: " + result.failures());
      assertEquals(List.of("uspstf-crc-screening"),
          result.recommendations().stream().map(Recommendation::id).toList());
    }
  }
}
