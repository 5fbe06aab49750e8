package io.github.cdsengine.core;

import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static io.github.cdsengine.core.testing.TestRules.supporting;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.rule.DraftOrder;
import io.github.cdsengine.core.rule.Now;
import io.github.cdsengine.core.rule.RuleWarning;
import io.github.cdsengine.core.testing.Facts;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Recommendation;

/** Draft orders reach rules as DraftOrder facts; rules report unusable data as RuleWarning. */
class DraftOrdersAndRuleWarningsTest {

  private static final EvaluationContext TODAY =
      EvaluationContext.on(LocalDate.of(2025, 6, 1), ZoneOffset.UTC);

  private static final CdsEngine ENGINE = CdsEngine.builder().addRules(file("drafts.drl",
      recommending("Order being written", "draft-seen", "USPSTF:A", "medication-safety",
          "info", "    DraftOrder(resourceType == \"MedicationRequest\", $id : id)\n"
              + "    MedicationRequest(id == $id)", "being ordered"),
      recommending("Order on record", "record-seen", "USPSTF:A", "medication-safety", "info",
          "    $m : MedicationRequest()\n"
              + "    not DraftOrder(resourceType == \"MedicationRequest\", id == $m.id())",
          "on record"),
      supporting("Order without a date", "    $m : MedicationRequest(authoredOn == null)",
          "    insert(new RuleWarning(\"MedicationRequest\", $m.id(), \"no date written\"));")))
      .build();

  static MedicationRequest order(String id, String written) {
    return Facts.order(id, Code.of(RXNORM, "1049502")).authoredOn(written).build();
  }

  static List<String> shown(EvaluationResult result) {
    return result.recommendations().stream().map(Recommendation::id).toList();
  }

  @Test
  void aRecordsDraftOrdersAreMarkedAndARecordWithoutThemHasNone() {
    PatientRecord record = PatientRecord.builder(
            new Patient("p1", LocalDate.of(1970, 1, 1), AdministrativeGender.MALE))
        .add(order("new", "2025-06-01")).build();
    PatientRecord drafting = record.toBuilder().draftOrder("MedicationRequest/new").build();
    assertThat(shown(ENGINE.evaluate(drafting, TODAY))).containsExactly("draft-seen");
    assertThat(shown(ENGINE.evaluate(record, TODAY))).containsExactly("record-seen");
  }

  @Test
  void aRuleWarningBecomesADataWarningOfTheResult() {
    PatientRecord record = PatientRecord.builder(
            new Patient("p1", LocalDate.of(1970, 1, 1), AdministrativeGender.MALE))
        .add(order("undated", null)).build();
    assertThat(ENGINE.evaluate(record, TODAY).warnings())
        .contains(new DataWarning("MedicationRequest", "undated", "no date written"));
  }

  @Test
  void factsTheEngineLogsShowNoPatientData() {
    assertThat(new RuleWarning("MedicationRequest", "rx-77", "no date").toString())
        .doesNotContain("rx-77");
    assertThat(DraftOrder.of("MedicationRequest/rx-77").toString()).doesNotContain("rx-77");
    assertThat(Now.of(TODAY.instant(), TODAY.zone()).toString()).doesNotContain("2025");
  }
}
