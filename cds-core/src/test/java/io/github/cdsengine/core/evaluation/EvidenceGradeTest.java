package io.github.cdsengine.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.github.cdsengine.core.evaluation.EvidenceGrade.Strength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EvidenceGradeTest {

  @ParameterizedTest(name = "{0} -> {3}")
  @CsvSource({
      "USPSTF:A,                 USPSTF, A,                     STRONG",
      "USPSTF:B,                 USPSTF, B,                     MODERATE",
      "USPSTF:C,                 USPSTF, C,                     WEAK",
      "USPSTF:D,                 USPSTF, D,                     MODERATE",
      "USPSTF:I,                 USPSTF, I,                     INSUFFICIENT",
      "GRADE:strong,             GRADE,  strong,                STRONG",
      "GRADE:conditional,        GRADE,  conditional,           WEAK",
      "GRADE:weak,               GRADE,  weak,                  WEAK",
      "GRADE:strong/high,        GRADE,  strong/high,           STRONG",
      "GRADE:strong/moderate,    GRADE,  strong/moderate,       STRONG",
      "GRADE:strong/low,         GRADE,  strong/low,            STRONG",
      "GRADE:strong/very-low,    GRADE,  strong/very-low,       STRONG",
      "GRADE:conditional/low,    GRADE,  conditional/low,       WEAK",
      "GRADE:weak/very-low,      GRADE,  weak/very-low,         WEAK",
      "CDC:A,                    CDC,    A,                     STRONG",
      "CDC:B,                    CDC,    B,                     WEAK",
      "CDC:A/1,                  CDC,    A/1,                   STRONG",
      "CDC:A/2,                  CDC,    A/2,                   STRONG",
      "CDC:A/3,                  CDC,    A/3,                   STRONG",
      "CDC:A/4,                  CDC,    A/4,                   STRONG",
      "CDC:B/1,                  CDC,    B/1,                   WEAK",
      "CDC:B/4,                  CDC,    B/4,                   WEAK",
  })
  void parsesEveryGradeOfEveryScale(String text, String scale, String grade, Strength strength) {
    EvidenceGrade parsed = EvidenceGrade.parse(text);

    assertThat(parsed.scale()).isEqualTo(scale);
    assertThat(parsed.grade()).isEqualTo(grade);
    assertThat(parsed.strength()).isEqualTo(strength);
    assertThat(parsed).hasToString(text);
  }

  @Test
  void spacesAroundScaleAndGradeAreIgnored() {
    EvidenceGrade parsed = EvidenceGrade.parse(" USPSTF : A ");

    assertThat(parsed).isEqualTo(new EvidenceGrade("USPSTF", "A", Strength.STRONG));
    assertThat(parsed).hasToString("USPSTF:A");
  }

  @Test
  void strengthsAreOrderedStrongestFirst() {
    assertThat(Strength.values())
        .containsExactly(Strength.STRONG, Strength.MODERATE, Strength.WEAK, Strength.INSUFFICIENT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"USPSTF-A", "A", "", "strong", "USPSTF A"})
  void withoutAColonIsRejectedQuotingTheTextAndTheForm(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EvidenceGrade.parse(text))
        .withMessageContaining("'" + text + "'")
        .withMessageContaining("must be SCALE:GRADE");
  }

  @ParameterizedTest
  @CsvSource({
      "NICE:strong, NICE",
      "uspstf:A,    uspstf",
      "Grade:strong, Grade",
      ":A,          ''",
  })
  void unknownScaleIsRejectedQuotingTextAndScale(String text, String scale) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EvidenceGrade.parse(text))
        .withMessage("evidence grade '" + text + "' has unknown scale '" + scale
            + "'; expected USPSTF, GRADE, CDC, ADA, ACC/AHA, KDIGO or SORT");
  }

  @ParameterizedTest
  @CsvSource({
      "ADA:A, STRONG", "ADA:B, MODERATE", "ADA:C, WEAK", "ADA:E, INSUFFICIENT",
      "ACC/AHA:I, STRONG", "ACC/AHA:I/B-NR, STRONG", "ACC/AHA:IIa, MODERATE",
      "ACC/AHA:IIb/C-LD, WEAK", "ACC/AHA:III/A, STRONG",
      "KDIGO:1A, STRONG", "KDIGO:1D, STRONG", "KDIGO:2B, WEAK",
      "SORT:A, STRONG", "SORT:B, MODERATE", "SORT:C, WEAK",
  })
  void adaAccAhaAndKdigoGradesMapToTheirStrength(String text, Strength strength) {
    assertThat(EvidenceGrade.parse(text).strength()).isEqualTo(strength);
    assertThat(EvidenceGrade.parse(text).toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ADA:D", "ADA:a", "ACC/AHA:II", "ACC/AHA:I/D", "ACC/AHA:IIa/B",
      "KDIGO:3A", "KDIGO:1E", "KDIGO:1", "SORT:D", "SORT:a", "SORT:"})
  void invalidAdaAccAhaAndKdigoGradesAreRejected(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EvidenceGrade.parse(text))
        .withMessageContaining("'" + text + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"USPSTF:E", "USPSTF:a", "USPSTF:", "USPSTF:A/3", "USPSTF:AB"})
  void invalidUspstfGradeIsRejected(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EvidenceGrade.parse(text))
        .withMessage("evidence grade '" + text + "': USPSTF grades are A, B, C, D and I");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GRADE:Strong", "GRADE:moderate", "GRADE:", "GRADE:/high",
      "GRADE:recommended"})
  void invalidGradeStrengthIsRejected(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EvidenceGrade.parse(text))
        .withMessage("evidence grade '" + text
            + "': GRADE strength must be strong, conditional or weak");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GRADE:strong/medium", "GRADE:strong/", "GRADE:strong/High",
      "GRADE:strong/very low", "GRADE:strong/high/low", "GRADE:weak/strong"})
  void invalidGradeCertaintyIsRejected(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EvidenceGrade.parse(text))
        .withMessage("evidence grade '" + text
            + "': GRADE certainty must be high, moderate, low or very-low");
  }

  @ParameterizedTest
  @ValueSource(strings = {"CDC:C", "CDC:a", "CDC:", "CDC:1", "CDC:/3"})
  void invalidCdcCategoryIsRejected(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EvidenceGrade.parse(text))
        .withMessage("evidence grade '" + text + "': CDC recommendation categories are A and B");
  }

  @ParameterizedTest
  @ValueSource(strings = {"CDC:A/0", "CDC:A/5", "CDC:A/", "CDC:B/12", "CDC:A/3/1", "CDC:A/x"})
  void invalidCdcEvidenceTypeIsRejected(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EvidenceGrade.parse(text))
        .withMessage("evidence grade '" + text + "': CDC evidence type must be 1, 2, 3 or 4");
  }

  @Test
  void nullTextIsRejected() {
    assertThatNullPointerException().isThrownBy(() -> EvidenceGrade.parse(null))
        .withMessage("evidence grade");
  }

  @Test
  void constructorRequiresEveryField() {
    assertThatNullPointerException()
        .isThrownBy(() -> new EvidenceGrade(null, "A", Strength.STRONG)).withMessage("scale");
    assertThatNullPointerException()
        .isThrownBy(() -> new EvidenceGrade("USPSTF", null, Strength.STRONG)).withMessage("grade");
    assertThatNullPointerException()
        .isThrownBy(() -> new EvidenceGrade("USPSTF", "A", null)).withMessage("strength");
  }
}
