package io.github.cdsengine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.evaluation.MeasureDefinition.Improvement;
import io.github.cdsengine.core.fhir.BulkAccount;
import io.github.cdsengine.core.fhir.BulkLine;
import io.github.cdsengine.core.fhir.BulkPatient;
import io.github.cdsengine.core.fhir.BulkProblem;
import io.github.cdsengine.core.fhir.FhirData;
import io.github.cdsengine.core.rule.Population;
import io.github.cdsengine.population.PatientRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Outcomes through their byte form: the same rows, problems and line counts back. */
class OutcomeBytesTest {

  private static final FhirData DATA = new FhirData(List.of(), Map.of(), List.of());

  private static BulkLine line(BulkLine.Kind kind, String type) {
    return new BulkLine(kind, type, "k", "Patient.ndjson line 1", "", List.of());
  }

  private static PopulationJob.Outcome roundTrip(PopulationJob.Outcome outcome) {
    return OutcomeBytes.decode(OutcomeBytes.encode(outcome));
  }

  private static void assertSameAccount(BulkAccount actual, BulkAccount expected) {
    assertThat(actual.lines()).isEqualTo(expected.lines());
    assertThat(actual.blank()).isEqualTo(expected.blank());
    assertThat(actual.used()).isEqualTo(expected.used());
    assertThat(actual.malformed()).isEqualTo(expected.malformed());
    assertThat(actual.inFailedPatients()).isEqualTo(expected.inFailedPatients());
    assertThat(actual.patients()).isEqualTo(expected.patients());
    assertThat(actual.failedPatients()).isEqualTo(expected.failedPatients());
    assertThat(actual.unreadableFiles()).isEqualTo(expected.unreadableFiles());
    assertThat(actual.skipped()).isEqualTo(expected.skipped());
    assertThat(actual.reconciles()).isEqualTo(expected.reconciles());
  }

  @Test
  void aRowWithMeasuresEpisodesAndNoDataEndComesBackEqual() {
    PatientRow.MeasureCount byPatient = new PatientRow.MeasureCount("CMS130", 1,
        Improvement.INCREASE, List.of(Population.INITIAL_POPULATION, Population.DENOMINATOR),
        true);
    PatientRow.MeasureCount byEpisode = new PatientRow.MeasureCount("CMS22", 2,
        Improvement.DECREASE, List.of(Population.DENOMINATOR_EXCLUSION), false,
        Map.of(Population.DENOMINATOR, 3, Population.DENOMINATOR_EXCLUSION, 1));
    PatientRow row = new PatientRow("p-é\u2028", "Patient.ndjson line 7", "45-64", "female",
        "{\"source\":\"Patient.ndjson line 7\",\"result\":{}}",
        new PatientRow.Tally(false, List.of(new PatientRow.Shown("a", "Á title", "warning")),
            List.of(new PatientRow.Shown("b", "B", "info")), List.of(byPatient, byEpisode),
            null, 4));
    BulkAccount account = new BulkAccount();
    account.read(line(BulkLine.Kind.PATIENT, "Patient"));
    account.read(line(BulkLine.Kind.RESOURCE, "Condition"));
    account.patient(new BulkPatient("p", "s", DATA, null, 2));

    PopulationJob.Outcome back = roundTrip(new PopulationJob.Outcome(row, List.of(), account,
        false));

    assertThat(back.row()).isEqualTo(row);
    assertThat(back.row().tally().measures().get(1).count(Population.DENOMINATOR)).isEqualTo(3);
    assertThat(back.problems()).isEmpty();
    assertThat(back.evaluationFailed()).isFalse();
    assertSameAccount(back.account(), account);
    assertThat(back.account().reconciles()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void everyKindOfCountComesBack(int failedPatients) {
    BulkAccount account = new BulkAccount();
    for (BulkLine.Kind kind : BulkLine.Kind.values()) {
      account.read(line(kind, "T" + kind.ordinal()));
    }
    account.read(line(BulkLine.Kind.MALFORMED, ""));
    account.patient(new BulkPatient("r", "s", DATA, null, 4));
    for (int i = 0; i < failedPatients; i++) {
      account.patient(new BulkPatient("f" + i, "s", null, "bad", 1 + 2 * i));
    }
    account.skip("duplicate", "Medication", 2).skip("not-referenced", "Practitioner", 1)
        .used(5);
    List<BulkProblem> problems = List.of(new BulkProblem("a line 2", "malformed", "a line 2: x"),
        new BulkProblem("b line 1", "evaluation-failed", "b line 1: failed"));

    PopulationJob.Outcome back = roundTrip(new PopulationJob.Outcome(null, problems, account,
        true));

    assertThat(back.row()).isNull();
    assertThat(back.evaluationFailed()).isTrue();
    assertThat(back.problems()).isEqualTo(problems);
    assertThat(OutcomeBytes.problems(OutcomeBytes.encode(back))).isEqualTo(problems);
    assertThat(OutcomeBytes.hasRow(OutcomeBytes.encode(back))).isFalse();
    assertSameAccount(back.account(), account);
  }

  @Test
  void anEmptyAccountComesBackEmpty() {
    PopulationJob.Outcome back = roundTrip(new PopulationJob.Outcome(null, List.of(),
        new BulkAccount(), false));
    assertSameAccount(back.account(), new BulkAccount());
  }
}
