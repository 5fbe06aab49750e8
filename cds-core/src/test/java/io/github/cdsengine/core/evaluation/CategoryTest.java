package io.github.cdsengine.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CategoryTest {

  @ParameterizedTest
  @CsvSource({
      "acute-alert,                ACUTE_ALERT",
      "medication-safety,          MEDICATION_SAFETY",
      "chronic-disease-monitoring, CHRONIC_DISEASE_MONITORING",
      "immunization,               IMMUNIZATION",
      "screening,                  SCREENING",
  })
  void fromCodeReadsTheMetadataCode(String code, Category category) {
    assertThat(Category.fromCode(code)).isEqualTo(category);
  }

  @ParameterizedTest
  @EnumSource(Category.class)
  void everyCategoryRoundTrips(Category category) {
    assertThat(Category.fromCode(category.code())).isSameAs(category);
  }

  @Test
  void declaredInRankingOrderMostTimeCriticalFirst() {
    assertThat(Category.values()).containsExactly(Category.ACUTE_ALERT,
        Category.MEDICATION_SAFETY, Category.CHRONIC_DISEASE_MONITORING, Category.IMMUNIZATION,
        Category.SCREENING);
  }

  @ParameterizedTest
  @ValueSource(strings = {"SCREENING", "screen", "medication_safety", "acute alert", ""})
  void unknownCodeIsRejectedQuotingItAndListingTheCodes(String code) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Category.fromCode(code))
        .withMessage("unknown category '" + code + "'; expected one of: acute-alert, "
            + "medication-safety, chronic-disease-monitoring, immunization, screening");
  }
}
