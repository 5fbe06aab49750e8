package io.github.cdsengine.core.rule;

import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordedMedicationsTest {

  static MedicationRequest order(String id, CodeableConcept medication) {
    return new MedicationRequest(id, RequestStatus.ACTIVE, RequestIntent.ORDER, medication, null);
  }

  @Test
  void namesEachMedicationOnceByTextThenDisplayThenCode() {
    MedicationRequest oxycodone = order("m1", CodeableConcept.of(
        new Code(RXNORM, "1049621", "oxycodone 5 MG Oral Tablet")));
    MedicationRequest again = order("m2", CodeableConcept.of(
        new Code(RXNORM, "1049621", "oxycodone 5 MG Oral Tablet")));
    MedicationRequest withText = order("m3", new CodeableConcept(
        List.of(new Code(RXNORM, "197591", "diazepam 5 MG Oral Tablet")), "Valium 5 mg"));
    MedicationRequest bare = order("m4", CodeableConcept.of(Code.of(RXNORM, "1014632")));
    assertThat(Recorded.medications(List.of(oxycodone, again, withText, bare)))
        .isEqualTo("oxycodone 5 MG Oral Tablet, Valium 5 mg, code 1014632");
  }

  @Test
  void noOrdersIsNoneOnRecord() {
    assertThat(Recorded.medications(List.of())).isEqualTo(Recorded.NONE);
    assertThat(Recorded.medications(List.of("not an order"))).isEqualTo(Recorded.NONE);
  }
}
