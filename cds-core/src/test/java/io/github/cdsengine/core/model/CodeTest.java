package io.github.cdsengine.core.model;

import static io.github.cdsengine.core.model.CodeSystems.LOINC;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodeTest {

  @Test
  void equalityAndHashIgnoreDisplay() {
    Code plain = Code.of(SNOMED_CT, "73761001");
    Code displayed = new Code(SNOMED_CT, "73761001", "Colonoscopy");

    assertThat(displayed).isEqualTo(plain);
    assertThat(displayed).hasSameHashCodeAs(plain);
    assertThat(Set.of(plain)).contains(displayed);
  }

  @Test
  void differentSystemOrCodeIsDifferent() {
    Code colonoscopy = Code.of(SNOMED_CT, "73761001");

    assertThat(colonoscopy).isNotEqualTo(Code.of(LOINC, "73761001"));
    assertThat(colonoscopy).isNotEqualTo(Code.of(SNOMED_CT, "444783004"));
  }

  @Test
  void codesAreCaseSensitive() {
    assertThat(Code.of("urn:test", "abc")).isNotEqualTo(Code.of("urn:test", "ABC"));
  }

  @Test
  void toStringIsSystemBarCode() {
    assertThat(new Code(SNOMED_CT, "73761001", "Colonoscopy")).hasToString(SNOMED_CT + "|73761001");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t"})
  void blankSystemIsRejectedQuotingTheCode(String system) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Code.of(system, "73761001"))
        .withMessageContaining("system must not be blank")
        .withMessageContaining("'73761001'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t"})
  void blankCodeIsRejectedQuotingTheSystem(String code) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Code.of(SNOMED_CT, code))
        .withMessageContaining("code must not be blank")
        .withMessageContaining("'" + SNOMED_CT + "'");
  }

  @Test
  void nullSystemOrCodeIsRejectedNamingTheField() {
    assertThatNullPointerException().isThrownBy(() -> Code.of(null, "1")).withMessage("system");
    assertThatNullPointerException().isThrownBy(() -> Code.of(SNOMED_CT, null)).withMessage("code");
  }

  @Test
  void displayMayBeNull() {
    assertThat(Code.of(SNOMED_CT, "1").display()).isNull();
  }
}
