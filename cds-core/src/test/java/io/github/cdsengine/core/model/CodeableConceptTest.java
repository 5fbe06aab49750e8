package io.github.cdsengine.core.model;

import static io.github.cdsengine.core.model.CodeSystems.CPT;
import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodeableConceptTest {

  private static final Code SNOMED_COLONOSCOPY = Code.of(SNOMED_CT, "73761001");
  private static final Code CPT_COLONOSCOPY = Code.of(CPT, "45378");

  @Test
  void hasCodingFindsAnyOfTheCodings() {
    CodeableConcept concept = CodeableConcept.of(SNOMED_COLONOSCOPY, CPT_COLONOSCOPY);

    assertThat(concept.hasCoding(SNOMED_COLONOSCOPY)).isTrue();
    assertThat(concept.hasCoding(CPT_COLONOSCOPY)).isTrue();
    assertThat(concept.hasCoding(Code.of(SNOMED_CT, "444783004"))).isFalse();
  }

  @Test
  void hasCodingIgnoresDisplay() {
    CodeableConcept concept = CodeableConcept.of(SNOMED_COLONOSCOPY);

    assertThat(concept.hasCoding(new Code(SNOMED_CT, "73761001", "Colonoscopy")))
        .isTrue();
  }

  @Test
  void textOnlyConceptHasNoCoding() {
    CodeableConcept concept = new CodeableConcept(List.of(), "colonoscopy, outside hospital");

    assertThat(concept.hasCoding(SNOMED_COLONOSCOPY)).isFalse();
    assertThat(concept.text()).isEqualTo("colonoscopy, outside hospital");
  }

  @Test
  void codingsAreCopiedAndUnmodifiable() {
    List<Code> codings = new ArrayList<>(List.of(SNOMED_COLONOSCOPY));
    CodeableConcept concept = new CodeableConcept(codings, null);

    codings.add(CPT_COLONOSCOPY);

    assertThat(concept.codings()).containsExactly(SNOMED_COLONOSCOPY);
    assertThatThrownBy(() -> concept.codings().add(CPT_COLONOSCOPY))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void nullCodingsOrNullCodingIsRejected() {
    assertThatNullPointerException().isThrownBy(() -> new CodeableConcept(null, "text"))
        .withMessage("codings");
    assertThatNullPointerException()
        .isThrownBy(() -> new CodeableConcept(Arrays.asList(SNOMED_COLONOSCOPY, null), null));
  }

  @Test
  void sameCodesIgnoresOrderDisplayAndText() {
    Code a = new Code(RXNORM, "1014632", "oxycodone");
    Code b = new Code(RXNORM, "1049621", null);
    CodeableConcept ab = new CodeableConcept(List.of(a, b), "text");
    CodeableConcept ba = new CodeableConcept(List.of(b, Code.of(a.system(), a.code())), null);
    assertThat(ab.sameCodes(ba)).isTrue();
    assertThat(ab.sameCodes(CodeableConcept.of(a))).isFalse();
    assertThat(ab.sameCodes(null)).isFalse();
  }
}
