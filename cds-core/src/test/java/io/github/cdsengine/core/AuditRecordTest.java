package io.github.cdsengine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.cdsengine.core.AuditRecord.Decision;
import io.github.cdsengine.core.AuditRecord.Disposition;
import io.github.cdsengine.core.model.CodeSystems;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.testing.Facts;
import io.github.cdsengine.core.terminology.ValueSet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.testing.TestRules;

/** Audit records: what they hold, what they never hold, their canonical JSON. */
class AuditRecordTest {

  static final byte[] KEY = "a host secret of thirty-two bytes!".getBytes(StandardCharsets.UTF_8);
  static final byte[] OTHER_KEY =
      "another host secret of 32+ bytes".getBytes(StandardCharsets.UTF_8);
  static final String PATIENT_ID = "pt-7f3a9c";
  static final EvaluationContext CONTEXT =
      EvaluationContext.on(LocalDate.of(2025, 6, 15), ZoneOffset.UTC);
  static final ValueSet UNVERSIONED = new ValueSet("test-unversioned",
      "http://example.org/ValueSet/unversioned", null, "No version (test)",
      Set.of(io.github.cdsengine.core.model.Code.of(CodeSystems.SNOMED_CT, "1")));

  static CdsEngine engine;
  static EvaluationResult result;

  @BeforeAll
  static void evaluate() {
    RuleFile rules = TestRules.file("audit.drl",
        TestRules.recommending("Screen adults", "screen", "USPSTF:A", "screening", "warning",
            "    PatientAge(years >= 18)", "Screen."),
        TestRules.recommending("Screen adults over 40", "screen", "USPSTF:B", "screening",
            "info", "    PatientAge(years >= 40)", "Screen at 40."),
        TestRules.recommending("Vaccinate adults", "vaccinate", "USPSTF:B", "immunization",
            "info", "    PatientAge(years >= 18)", "Vaccinate."),
        TestRules.recommending("Counsel adults", "counsel", "USPSTF:B", "screening",
            "info", "    PatientAge(years >= 18)", "Counsel."),
        TestRules.supporting("Allergic to the vaccine", "    PatientAge(years >= 18)",
            "    insert(new Contraindication(\"vaccinate\", \"allergic\"));"),
        TestRules.supporting("Counselling not applicable", "    PatientAge(years >= 18)",
            "    insert(new Suppression(\"counsel\", \"already counselled\"));"));
    engine = CdsEngine.builder()
        .addRulePack(new RulePack("audit-test", "2.1.0", "Audit test", List.of(rules),
            List.of(TestRules.COLONOSCOPY, UNVERSIONED)))
        .build();
    result = engine.evaluate(PatientRecord.builder(
        Facts.patient(PATIENT_ID, LocalDate.of(1970, 3, 1))).build(), CONTEXT);
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  @Test
  void theRecordNamesRuleSetsValueSetsTheInstantAndEachRecommendationWithItsRules() {
    AuditRecord audit = AuditRecord.of(result, engine, KEY);

    assertThat(audit.patientHash()).isEqualTo(AuditRecord.patientHash(PATIENT_ID, KEY))
        .hasSize(64);
    assertThat(audit.instant()).isEqualTo(Instant.parse("2025-06-15T00:00:00Z"));
    assertThat(audit.ruleSets()).containsExactly("audit-test@2.1.0");
    assertThat(audit.valueSets()).containsExactly(
        "http://example.org/ValueSet/test-colonoscopy|1",
        "http://example.org/ValueSet/unversioned");
    assertThat(audit.decisions()).containsExactly(
        new Decision("screen", Disposition.SHOWN,
            List.of("Screen adults", "Screen adults over 40")),
        new Decision("vaccinate", Disposition.CONTRAINDICATED,
            List.of("Vaccinate adults", "Allergic to the vaccine")),
        new Decision("counsel", Disposition.SUPPRESSED,
            List.of("Counsel adults", "Counselling not applicable")));
    assertThat(audit.failedRules()).isEmpty();
  }

  @Test
  void theHashIsHmacSha256OfThePatientIdUnderTheKey() {
    // RFC 4231, test case 6: a 131-byte key of 0xaa.
    byte[] key = new byte[131];
    java.util.Arrays.fill(key, (byte) 0xaa);
    assertThat(AuditRecord.patientHash("Test Using Larger Than Block-Size Key - Hash Key First",
        key)).isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  }

  @Test
  void theSameEvaluationGivesTheSameRecordAndTheSameBytes() {
    EvaluationResult again = engine.evaluate(PatientRecord.builder(
        Facts.patient(PATIENT_ID, LocalDate.of(1970, 3, 1))).build(), CONTEXT);
    assertThat(AuditRecord.of(again, engine, KEY)).isEqualTo(AuditRecord.of(result, engine, KEY));
    assertThat(AuditRecord.of(again, engine, KEY).toJson())
        .isEqualTo(AuditRecord.of(result, engine, KEY).toJson());
  }

  @Test
  void anotherKeyOrAnotherPatientGivesAnotherHash() {
    assertThat(AuditRecord.of(result, engine, OTHER_KEY).patientHash())
        .isNotEqualTo(AuditRecord.of(result, engine, KEY).patientHash());
    assertThat(AuditRecord.patientHash("pt-7f3a9d", KEY))
        .isNotEqualTo(AuditRecord.patientHash(PATIENT_ID, KEY));
  }

  @Test
  void theRecordHoldsNoPatientIdNorAnythingFromTheChart() {
    String json = AuditRecord.of(result, engine, KEY).toJson();
    assertThat(json).doesNotContain(PATIENT_ID).doesNotContain("1970")
        .doesNotContain("Screen.").doesNotContain("allergic");
    assertThat(AuditRecord.of(result, engine, KEY).toString()).doesNotContain(PATIENT_ID);
  }

  @Test
  void theJsonFormIsCanonicalAndReadsBack() {
    AuditRecord audit = AuditRecord.of(result, engine, KEY);
    String json = audit.toJson();
    assertThat(json).startsWith("{\"patientHash\":\"" + audit.patientHash()
        + "\",\"instant\":\"2025-06-15T00:00:00Z\",\"ruleSets\":[\"audit-test@2.1.0\"],"
        + "\"valueSets\":[").contains("],\"decisions\":[{\"recommendation\":\"screen\","
        + "\"disposition\":\"SHOWN\",\"rules\":[\"Screen adults\",\"Screen adults over 40\"]}")
        .endsWith("],\"failedRules\":[]}");
    assertThat(AuditRecord.fromJson(json)).isEqualTo(audit);
    assertThat(AuditRecord.fromJson(json).toJson()).isEqualTo(json);
  }

  @Test
  void badKeysAndBadJsonAreRefusedSayingWhat() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AuditRecord.of(result, engine, new byte[16]))
        .withMessage("the audit key must have at least 32 bytes, not 16");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AuditRecord.fromJson("{\"patientHash\":\"x\"}"))
        .withMessage("audit record: decisions must be an array");
    String json = AuditRecord.of(result, engine, KEY).toJson();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AuditRecord.fromJson(json.replace("SHOWN", "SHOUTED")))
        .withMessage("audit record: unknown disposition SHOUTED");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AuditRecord.fromJson(json.replace("\"instant\":\"2025", "\"instant\":\"x")))
        .withMessageContaining("bad instant");
  }

  @Test
  void failedRulesAreListed() {
    RuleFile rules = TestRules.file("failing.drl",
        TestRules.recommending("Divides by zero", "screen", "USPSTF:A", "screening", "warning",
            "    PatientAge($y : years)", "\" + (1 / ($y - $y)) + \""));
    try (CdsEngine failing = CdsEngine.builder().addRules(rules).build()) {
      EvaluationResult failed = failing.evaluate(PatientRecord.builder(
          Facts.patient(PATIENT_ID, LocalDate.of(1970, 3, 1))).build(), CONTEXT);
      AuditRecord audit = AuditRecord.of(failed, failing, KEY);
      assertThat(audit.failedRules()).containsExactly("Divides by zero");
      assertThat(audit.ruleSets()).isEmpty();
      assertThat(audit.decisions()).isEmpty();
    }
  }
}
