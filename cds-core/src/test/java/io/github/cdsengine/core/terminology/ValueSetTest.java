package io.github.cdsengine.core.terminology;

import static io.github.cdsengine.core.model.CodeSystems.ICD_10_CM;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueSetTest {

  private static final Code COLONOSCOPY = Code.of(SNOMED_CT, "73761001");
  private static final Code SCREENING_COLONOSCOPY = Code.of(SNOMED_CT, "444783004");
  private static final Code SIGMOIDOSCOPY = Code.of(SNOMED_CT, "44441009");

  private static final ValueSet COLONOSCOPIES = new ValueSet("crc-colonoscopy",
      "http://example.org/ValueSet/crc-colonoscopy", "1", "Colonoscopy",
      Set.of(COLONOSCOPY, SCREENING_COLONOSCOPY));

  @Test
  void containsComparesSystemAndCodeOnly() {
    assertThat(COLONOSCOPIES.contains(COLONOSCOPY)).isTrue();
    assertThat(COLONOSCOPIES.contains(new Code(SNOMED_CT, "73761001", "another display"))).isTrue();
    assertThat(COLONOSCOPIES.contains(SIGMOIDOSCOPY)).isFalse();
    assertThat(COLONOSCOPIES.contains(Code.of("http://example.org/other", "73761001"))).isFalse();
    assertThat(COLONOSCOPIES.contains(null)).isFalse();
  }

  /** Ulcerative colitis (ICD-10-CM K51) as a family, beside one code listed on its own. */
  private static final ValueSet COLITIS = new ValueSet("uc", "http://example.org/ValueSet/uc",
      "1", "Ulcerative colitis", Set.of(Code.of(SNOMED_CT, "64766004")),
      Set.of(Code.of(ICD_10_CM, "K51")));

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"K51", "K51.0", "K51.01", "K51.011", "K51.90", "K51.919", "K51011",
      "k51.011"})
  void anIcd10CmFamilyHoldsItsCodeAndEveryCodeUnderIt(String code) {
    assertThat(COLITIS.contains(Code.of(ICD_10_CM, code))).isTrue();
    assertThat(COLITIS.containsAny(CodeableConcept.of(Code.of(ICD_10_CM, code)))).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"K50.90", "K5", "K52.9", "Z86.0101", "C51.0"})
  void anIcd10CmFamilyHoldsNothingOutsideIt(String code) {
    assertThat(COLITIS.contains(Code.of(ICD_10_CM, code))).isFalse();
  }

  /**
   * ICD-10-CM writes a code as its three-character category, then optionally a dot and one to
   * four characters: a code in any other form names no code, and so no family, even when its
   * characters without the dot would spell one.
   */
  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"K5.00", "K50.", "K5.10", "K51.", "K.51", "K510.1", "K51..0",
      "K51.0.1", "K51.01234", "K5101234", "K51-0", "51K.0", "KK1.0", "K 51.0", ".K51"})
  void aMalformedIcd10CmCodeMatchesNoFamily(String code) {
    ValueSet inflammatoryBowelDisease = new ValueSet("ibd", "http://example.org/ValueSet/ibd",
        "1", "IBD", Set.of(), Set.of(Code.of(ICD_10_CM, "K50"), Code.of(ICD_10_CM, "K51")));
    assertThat(inflammatoryBowelDisease.contains(Code.of(ICD_10_CM, code))).isFalse();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"K50", "K50.0", "K50.00", "K50.011", "K50011", " K50.0 ", "k51.0"})
  void aWellFormedIcd10CmCodeMatchesItsFamily(String code) {
    ValueSet inflammatoryBowelDisease = new ValueSet("ibd", "http://example.org/ValueSet/ibd",
        "1", "IBD", Set.of(), Set.of(Code.of(ICD_10_CM, "K50"), Code.of(ICD_10_CM, "K51")));
    assertThat(inflammatoryBowelDisease.contains(Code.of(ICD_10_CM, code))).isTrue();
  }

  @Test
  void aFamilyIsMatchedInIcd10CmOnly() {
    assertThat(COLITIS.contains(Code.of("http://hl7.org/fhir/sid/icd-10", "K51.0"))).isFalse();
    assertThat(COLITIS.contains(Code.of("urn:oid:2.16.840.1.113883.6.90", "K51.0")))
        .as("the ICD-10-CM OID is an alias of its URI").isTrue();
    assertThat(COLITIS.contains(Code.of(SNOMED_CT, "64766004"))).isTrue();
  }

  @Test
  void aFamilyMustBeAnIcd10CmCodeOfThreeCharactersOrMore() {
    assertThatIllegalArgumentException().isThrownBy(() -> new ValueSet("vs", "http://x/vs", null,
        "VS", Set.of(), Set.of(Code.of(SNOMED_CT, "64766004")))).withMessageContaining("ICD-10-CM");
    assertThatIllegalArgumentException().isThrownBy(() -> new ValueSet("vs", "http://x/vs", null,
        "VS", Set.of(), Set.of(Code.of(ICD_10_CM, "K5")))).withMessageContaining("'K5'");
    assertThatIllegalArgumentException().isThrownBy(() -> new ValueSet("vs", "http://x/vs", null,
        "VS", Set.of(), Set.of())).withMessageContaining("no codes");
  }

  @Test
  void containsAnyMatchesWhenAnyCodingIsInTheSet() {
    assertThat(COLONOSCOPIES.containsAny(CodeableConcept.of(SIGMOIDOSCOPY, SCREENING_COLONOSCOPY)))
        .isTrue();
    assertThat(COLONOSCOPIES.containsAny(CodeableConcept.of(COLONOSCOPY))).isTrue();
  }

  @Test
  void containsAnyIsFalseWhenNoCodingIsInTheSet() {
    assertThat(COLONOSCOPIES.containsAny(CodeableConcept.of(SIGMOIDOSCOPY))).isFalse();
    assertThat(COLONOSCOPIES.containsAny(new CodeableConcept(List.of(), "colonoscopy"))).isFalse();
    assertThat(COLONOSCOPIES.containsAny(null)).isFalse();
  }

  @Test
  void codesAreCopiedAndUnmodifiable() {
    Set<Code> codes = new HashSet<>(Set.of(COLONOSCOPY));
    ValueSet valueSet = new ValueSet("vs", "http://example.org/ValueSet/vs", null, "VS", codes);

    codes.add(SIGMOIDOSCOPY);

    assertThat(valueSet.contains(SIGMOIDOSCOPY)).isFalse();
    assertThatThrownBy(() -> valueSet.codes().add(SIGMOIDOSCOPY))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void anEmptyValueSetIsRejectedNamingIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ValueSet("empty", "http://example.org/ValueSet/empty", null,
            "Empty", Set.of()))
        .withMessage("value set 'empty' has no codes");
  }

  @Test
  void aBlankIdIsRejectedQuotingTheUrl() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ValueSet(" ", "http://example.org/ValueSet/x", null, "X",
            Set.of(COLONOSCOPY)))
        .withMessageContaining("http://example.org/ValueSet/x");
  }

  @Test
  void requiredFieldsAreNamed() {
    Set<Code> codes = Set.of(COLONOSCOPY);

    assertThatNullPointerException().isThrownBy(() -> new ValueSet(null, "u", null, "t", codes))
        .withMessage("id");
    assertThatNullPointerException().isThrownBy(() -> new ValueSet("i", null, null, "t", codes))
        .withMessage("url");
    assertThatNullPointerException().isThrownBy(() -> new ValueSet("i", "u", null, null, codes))
        .withMessage("title");
    assertThatNullPointerException().isThrownBy(() -> new ValueSet("i", "u", null, "t", null))
        .withMessage("codes");
  }
}
