package io.github.cdsengine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The rule-author quickstart in the README compiles and does what the README says. */
class ReadmeQuickstartTest {

  @Test
  void theReadmeDrlBuildsAndRecommendsScreeningAt47() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("```drl\n") + "```drl\n".length();
    String drl = readme.substring(start, readme.indexOf("```", start));
    try (CdsEngine engine = CdsEngine.builder()
        .addRules(new RuleFile("README.md", drl))
        .addValueSet(ShippedRulePacks.byId(ShippedRulePacks.USPSTF_COLORECTAL).valueSets().stream()
            .filter(v -> v.id().equals("crc-colonoscopy")).findFirst().orElseThrow())
        .build()) {
      PatientRecord record = PatientRecord.builder(
          new Patient("pt-1", LocalDate.of(1978, 2, 11), AdministrativeGender.MALE)).build();
      assertThat(engine.evaluate(record, EvaluationContext.at(ZonedDateTime.of(
              2025, 6, 15, 9, 30, 0, 0, ZoneId.of("America/New_York")))).recommendations())
          .extracting(Recommendation::title).containsExactly("Colorectal cancer screening is due");
    }
  }
}
