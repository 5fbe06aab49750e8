package io.github.cdsengine.core.terminology;

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

class ValueSetTest {

  private static final String SNOMED = "http://snomed.info/sct";
  private static final Code COLONOSCOPY = Code.of(SNOMED, "73761001");
  private static final Code SCREENING_COLONOSCOPY = Code.of(SNOMED, "444783004");
  private static final Code SIGMOIDOSCOPY = Code.of(SNOMED, "44441009");

  private static final ValueSet COLONOSCOPIES = new ValueSet("crc-colonoscopy",
      "http://example.org/ValueSet/crc-colonoscopy", "1", "Colonoscopy",
      Set.of(COLONOSCOPY, SCREENING_COLONOSCOPY));

  @Test
  void containsComparesSystemAndCodeOnly() {
    assertThat(COLONOSCOPIES.contains(COLONOSCOPY)).isTrue();
    assertThat(COLONOSCOPIES.contains(new Code(SNOMED, "73761001", "another display"))).isTrue();
    assertThat(COLONOSCOPIES.contains(SIGMOIDOSCOPY)).isFalse();
    assertThat(COLONOSCOPIES.contains(Code.of("http://example.org/other", "73761001"))).isFalse();
    assertThat(COLONOSCOPIES.contains(null)).isFalse();
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
