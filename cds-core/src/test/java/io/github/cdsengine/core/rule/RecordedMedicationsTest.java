package io.github.cdsengine.core.rule;

import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static io.github.cdsengine.core.testing.Facts.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.MedicationRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordedMedicationsTest {

  @Test
  void namesEachMedicationOnceByTextThenDisplayThenCode() {
    MedicationRequest oxycodone = order("m1",
        new Code(RXNORM, "1049621", "oxycodone 5 MG Oral Tablet")).build();
    MedicationRequest again = order("m2",
        new Code(RXNORM, "1049621", "oxycodone 5 MG Oral Tablet")).build();
    MedicationRequest withText = order("m3", new CodeableConcept(
        List.of(new Code(RXNORM, "197591", "diazepam 5 MG Oral Tablet")), "Valium 5 mg")).build();
    MedicationRequest bare = order("m4", Code.of(RXNORM, "1014632")).build();
    assertThat(Recorded.medications(List.of(oxycodone, again, withText, bare)))
        .isEqualTo("oxycodone 5 MG Oral Tablet, Valium 5 mg, code 1014632");
  }

  @Test
  void noOrdersIsNoneOnRecord() {
    assertThat(Recorded.medications(List.of())).isEqualTo(Recorded.NONE);
    assertThat(Recorded.medications(List.of("not an order"))).isEqualTo(Recorded.NONE);
  }
}
