package io.github.cdsengine.rules.cdc.opioids2016;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.testing.Conformance;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our CDC 2016 factor table against the reference CodeSystem CDCMMEClinicalConversionFactors
 * (conformance/opioid-mme/vocabulary), read in place. That file is the opioid-mme-r4 version,
 * which follows the later CDC table: where it differs from 2016, the difference is pinned here
 * so that any other change in the file shows.
 */
class ConversionFactorsReferenceTest {

  @Test
  void ourTableAgreesWithTheReferenceCodeSystem() throws IOException {
    Path file = Conformance.directory("opioid-mme")
        .resolve("vocabulary/codesystem-CDCMMEClinicalConversionFactors.json");
    JsonNode codeSystem = new ObjectMapper().readTree(file.toFile());
    assertThat(codeSystem.path("supplements").asText()).isEqualTo(Opioid.RXNORM);
    Map<String, BigDecimal> single = new HashMap<>();
    Map<String, String> doseForm = new HashMap<>();
    for (JsonNode concept : codeSystem.path("concept")) {
      for (JsonNode property : concept.path("property")) {
        String code = concept.path("code").asText();
        switch (property.path("code").asText()) {
          case "conversion-factor" -> single.put(code, property.path("valueDecimal")
              .decimalValue());
          case "dose-form-conversion-factor" -> doseForm.put(code,
              property.path("valueString").asText());
          default -> { }
        }
      }
    }
    Map<Opioid, BigDecimal> ours = ConversionFactors.perMilligram();
    for (Opioid opioid : ours.keySet()) {
      if (opioid == Opioid.HYDROMORPHONE) {
        continue;
      }
      assertThat(single.get(opioid.rxnorm())).as(opioid.label())
          .isEqualByComparingTo(ours.get(opioid));
    }
    // Differences of the later CDC table from 2016, pinned.
    assertThat(ours.get(Opioid.HYDROMORPHONE)).isEqualByComparingTo("4");
    assertThat(single.get(Opioid.HYDROMORPHONE.rxnorm())).isEqualByComparingTo("5");
    assertThat(single.get(Opioid.METHADONE.rxnorm())).as("single methadone factor, no tiers")
        .isEqualByComparingTo("4.7");
    assertThat(ConversionFactors.METHADONE_TIERS).extracting(t -> t.factor().intValue())
        .containsExactly(4, 8, 10, 12);
    assertThat(single).containsKeys("10689", "787390"); // tramadol, tapentadol: not in 2016
    // Fentanyl patch: "316987:<factor>@<doses per day>", per mg of hourly strength for a patch
    // changed at that rate; 7200 mg-factor at 1/3 patch a day is 2.4 per mcg/hr.
    String[] form = doseForm.get(Opioid.FENTANYL.rxnorm()).split("[:@]");
    assertThat(form[0]).isEqualTo(MmeCalculator.TRANSDERMAL_SYSTEM);
    BigDecimal perMcgPerHour = new BigDecimal(form[1]).multiply(new BigDecimal(form[2]))
        .divide(new BigDecimal("1000"), MathContext.DECIMAL64).setScale(4, RoundingMode.HALF_UP);
    assertThat(perMcgPerHour).isEqualByComparingTo(
        ConversionFactors.FENTANYL_PATCH_PER_MCG_PER_HOUR);
  }
}
