package io.github.cdsengine.core.terminology;

import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValueSetsTest {

  private static final Code COLONOSCOPY = Code.of(SNOMED_CT, "73761001");
  private static final Code DIABETES = Code.of(SNOMED_CT, "44054006");

  private static final ValueSet COLONOSCOPIES = new ValueSet("crc-colonoscopy",
      "http://example.org/ValueSet/crc-colonoscopy", "1", "Colonoscopy", Set.of(COLONOSCOPY));
  private static final ValueSet DIABETES_SET = new ValueSet("diabetes",
      "http://example.org/ValueSet/diabetes", "1", "Diabetes", Set.of(DIABETES));

  private static final ValueSets BOTH = ValueSets.of(List.of(COLONOSCOPIES, DIABETES_SET));

  @Test
  void includesLooksInTheNamedValueSetOnly() {
    assertThat(BOTH.includes("crc-colonoscopy", COLONOSCOPY)).isTrue();
    assertThat(BOTH.includes("diabetes", COLONOSCOPY)).isFalse();
    assertThat(BOTH.includes("diabetes", DIABETES)).isTrue();
  }

  @Test
  void includesAConcept() {
    assertThat(BOTH.includes("crc-colonoscopy", CodeableConcept.of(DIABETES, COLONOSCOPY)))
        .isTrue();
    assertThat(BOTH.includes("crc-colonoscopy", CodeableConcept.of(DIABETES))).isFalse();
    assertThat(BOTH.includes("crc-colonoscopy", (CodeableConcept) null)).isFalse();
    assertThat(BOTH.includes("crc-colonoscopy", (Code) null)).isFalse();
  }

  @Test
  void anUnknownIdThrowsNamingIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BOTH.includes("crc-colonscopy", COLONOSCOPY))
        .withMessage("no value set with id 'crc-colonscopy' is loaded");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BOTH.includes("nope", CodeableConcept.of(COLONOSCOPY)))
        .withMessageContaining("'nope'");
  }

  @Test
  void findReturnsTheValueSetOrEmpty() {
    assertThat(BOTH.find("diabetes")).contains(DIABETES_SET);
    assertThat(BOTH.find("unknown")).isEmpty();
  }

  @Test
  void allListsEveryValueSetOnce() {
    assertThat(BOTH.all()).containsExactlyInAnyOrder(COLONOSCOPIES, DIABETES_SET);
  }

  @Test
  void theSameValueSetTwiceIsKeptOnce() {
    ValueSet sameContent = new ValueSet("crc-colonoscopy",
        "http://example.org/ValueSet/crc-colonoscopy", "1", "Colonoscopy", Set.of(COLONOSCOPY));

    ValueSets valueSets = ValueSets.of(List.of(COLONOSCOPIES, sameContent));

    assertThat(valueSets.all()).hasSize(1);
  }

  @Test
  void twoDifferentValueSetsWithOneIdAreRejectedNamingIdAndUrls() {
    ValueSet otherCodes = new ValueSet("crc-colonoscopy",
        "http://example.org/other/ValueSet/crc-colonoscopy", "2", "Colonoscopy",
        Set.of(COLONOSCOPY, Code.of(SNOMED_CT, "444783004")));

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ValueSets.of(List.of(COLONOSCOPIES, DIABETES_SET, otherCodes)))
        .withMessageContaining("'crc-colonoscopy'")
        .withMessageContaining("http://example.org/ValueSet/crc-colonoscopy")
        .withMessageContaining("http://example.org/other/ValueSet/crc-colonoscopy");
  }

  @Test
  void sameIdAndUrlWithDifferentCodesIsRejected() {
    ValueSet moreCodes = new ValueSet("crc-colonoscopy",
        "http://example.org/ValueSet/crc-colonoscopy", "1", "Colonoscopy",
        Set.of(COLONOSCOPY, Code.of(SNOMED_CT, "444783004")));

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ValueSets.of(List.of(COLONOSCOPIES, moreCodes)))
        .withMessageContaining("'crc-colonoscopy'");
  }

  @Test
  void noValueSetsIsAllowed() {
    ValueSets none = ValueSets.of(List.of());

    assertThat(none.all()).isEmpty();
    assertThatIllegalArgumentException().isThrownBy(() -> none.includes("any", COLONOSCOPY));
  }

  @Test
  void isNotChangedByLaterChangesToTheSourceList() {
    List<ValueSet> source = new ArrayList<>(List.of(COLONOSCOPIES));
    ValueSets valueSets = ValueSets.of(source);

    source.add(DIABETES_SET);

    assertThat(valueSets.find("diabetes")).isEmpty();
  }
}
