package io.github.cdsengine.core;

import static io.github.cdsengine.core.model.CodeSystems.LOINC;
import static io.github.cdsengine.core.testing.TestRules.CITATION;
import static io.github.cdsengine.core.testing.Facts.patient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Quantity;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.github.cdsengine.core.problem.RuleSetException;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.pack.RuleFile;

/** Rules compare measured values through UCUM; what cannot be compared is a data warning. */
class EngineUnitsTest {

  static final EvaluationContext CONTEXT =
      EvaluationContext.on(LocalDate.of(2025, 1, 1), ZoneOffset.UTC);

  static String rules(String threshold, String unit) {
    return """
        package test.units;
        import io.github.cdsengine.core.model.*;
        import io.github.cdsengine.core.rule.*;
        import io.github.cdsengine.core.units.Analyte;
        global io.github.cdsengine.core.units.Units units;

        rule "High glucose"
            @recommendation("high-glucose") @title("Glucose is high")
            @evidence("GRADE:strong") @category("chronic-disease-monitoring") @severity("warning")
        """ + CITATION + """
        when
            $o : Observation(code.hasCoding(Code.of("http://loinc.org", "2345-7")),
                units.valueAtLeast(this, "%s", "%s", Analyte.GLUCOSE))
        then
            insert(new Proposal("high"));
        end
        """.formatted(threshold, unit);
  }

  static PatientRecord glucose(String value, String unit) {
    return PatientRecord.builder(patient("p1", LocalDate.of(1970, 1, 1)))
        .add(Observation.builder("glu-1", ObservationStatus.FINAL,
                CodeableConcept.of(Code.of(LOINC, "2345-7")))
            .effective(Period.at(ClinicalTime.of(LocalDate.of(2024, 12, 1))))
            .valueQuantity(Quantity.of(value, unit)).build())
        .build();
  }

  @ParameterizedTest(name = "{0} {1} at least 7.0 mmol/L: {2}")
  @CsvSource({
      "7.0, mmol/L, true",
      "6.9, mmol/L, false",
      "126.2, mg/dL, true",
      "126, mg/dL, false"})
  void aThresholdInOneUnitComparesValuesInAnother(String value, String unit, boolean high) {
    try (CdsEngine engine = CdsEngine.builder()
        .addRules(new RuleFile("units.drl", rules("7.0", "mmol/L"))).build()) {
      EvaluationResult result = engine.evaluate(glucose(value, unit), CONTEXT);
      assertThat(result.recommendations()).hasSize(high ? 1 : 0);
      assertThat(result.warnings()).isEmpty();
    }
  }

  @Test
  void aValueInAnUnconvertibleUnitIsNotUsedAndSaysSo() {
    try (CdsEngine engine = CdsEngine.builder()
        .addRules(new RuleFile("units.drl", rules("7.0", "mmol/L"))).build()) {
      EvaluationResult result = engine.evaluate(glucose("9", "mm[Hg]"), CONTEXT);
      assertThat(result.recommendations()).isEmpty();
      assertThat(result.warnings()).singleElement().satisfies(w -> {
        assertThat(w.type()).isEqualTo("Observation");
        assertThat(w.id()).isEqualTo("glu-1");
        assertThat(w.message()).contains("mm[Hg]", "not used");
      });
    }
  }

  @Test
  void aBadThresholdOrUnitFailsTheBuildAtItsLine() {
    RuleFile badUnit = new RuleFile("bad-unit.drl", rules("7.0", "mmol/l/"));
    assertThatThrownBy(() -> CdsEngine.builder().addRules(badUnit).build())
        .isInstanceOfSatisfying(RuleSetException.class, e -> assertThat(e.problems())
            .singleElement().satisfies(p -> {
              assertThat(p.file()).isEqualTo("bad-unit.drl");
              assertThat(p.line()).isPositive();
              assertThat(p.message()).contains("'mmol/l/' is not a valid UCUM unit");
            }));
    RuleFile badNumber = new RuleFile("bad-number.drl", rules("seven", "mmol/L"));
    assertThatThrownBy(() -> CdsEngine.builder().addRules(badNumber).build())
        .isInstanceOfSatisfying(RuleSetException.class, e -> assertThat(e.getMessage())
            .contains("threshold 'seven' is not a number"));
  }

  @Test
  void aThresholdThatIsNotALiteralFailsTheBuild() {
    RuleFile rules = new RuleFile("dynamic.drl", rules("7.0", "mmol/L")
        .replace("units.valueAtLeast(this, \"7.0\", \"mmol/L\", Analyte.GLUCOSE)",
            "units.valueAtLeast((Observation) this, String.valueOf(7.0), \"mmol/L\")"));
    assertThatThrownBy(() -> CdsEngine.builder().addRules(rules).build())
        .isInstanceOfSatisfying(RuleSetException.class, e -> assertThat(e.getMessage())
            .contains("threshold and unit with string literals"));
  }
}
