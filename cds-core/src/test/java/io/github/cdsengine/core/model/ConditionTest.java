package io.github.cdsengine.core.model;

import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionTest {

  private static final CodeableConcept DIABETES =
      CodeableConcept.of(Code.of(SNOMED_CT, "44054006"));

  /** Empty cells are statuses the source did not record. */
  @ParameterizedTest(name = "clinical={0}, verification={1} -> active={2}")
  @CsvSource({
      ",            ,             true",
      "active,      ,             true",
      "recurrence,  ,             true",
      "relapse,     ,             true",
      "inactive,    ,             false",
      "remission,   ,             false",
      "resolved,    ,             false",
      "active,      confirmed,    true",
      "active,      unconfirmed,  true",
      "active,      provisional,  true",
      "active,      differential, true",
      "active,      refuted,      false",
      "recurrence,  refuted,      false",
      "relapse,     refuted,      false",
      ",            confirmed,    true",
      ",            refuted,      false",
      "resolved,    confirmed,    false",
      "inactive,    confirmed,    false",
      "remission,   confirmed,    false",
  })
  void isActiveUnlessRefutedOrNoLongerPresent(String clinical, String verification,
      boolean active) {
    Condition condition = Condition.builder("c1", DIABETES)
        .clinicalStatus(clinical == null ? null : ConditionClinicalStatus.fromCode(clinical))
        .verificationStatus(verification == null ? null : VerificationStatus.fromCode(verification))
        .build();

    assertThat(condition.isActive()).isEqualTo(active);
  }
}
