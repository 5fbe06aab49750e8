package io.github.cdsengine.core.fhir;

import static io.github.cdsengine.core.fhir.FhirInputs.PATIENT;
import static io.github.cdsengine.core.fhir.FhirInputs.bundle;
import static io.github.cdsengine.core.fhir.FhirInputs.read;
import static io.github.cdsengine.core.model.CodeSystems.RXNORM;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.MedicationIngredient;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Quantity;
import org.junit.jupiter.api.Test;

/** A referenced Medication's form and ingredient strengths are read onto the order. */
class FhirMedicationIngredientTest {

  static final String MEDICATION_BODY = """
      "code": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
        "code": "197696"}]},
      "form": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
        "code": "316987"}]},
      "ingredient": [{"itemCodeableConcept": {"coding": [{"system":
          "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "4337"}]},
        "strength": {"numerator": {"value": 0.075, "system": "http://unitsofmeasure.org",
          "code": "mg"}, "denominator": {"value": 1, "system": "http://unitsofmeasure.org",
          "code": "h"}}}]""";

  static String order(String extra, String reference) {
    return FhirInputs.order("m1",
        extra + "\"medicationReference\": {\"reference\": \"" + reference + "\"}");
  }

  private static void assertPatch(MedicationRequest order) {
    assertThat(order.medication().hasCoding(Code.of(RXNORM, "197696"))).isTrue();
    assertThat(order.product().form().hasCoding(Code.of(RXNORM, "316987"))).isTrue();
    assertThat(order.product().ingredients()).hasSize(1);
    MedicationIngredient fentanyl = order.product().ingredients().get(0);
    assertThat(fentanyl.item().hasCoding(Code.of(RXNORM, "4337"))).isTrue();
    assertThat(fentanyl.strength()).isEqualTo(Quantity.of("0.075", "mg"));
    assertThat(fentanyl.per()).isEqualTo(Quantity.of("1", "h"));
  }

  @Test
  void aContainedMedicationsIngredientsAreRead() {
    String contained = "\"contained\": [{\"resourceType\": \"Medication\", \"id\": \"med\", "
        + MEDICATION_BODY + "}], ";
    assertPatch(read(bundle(PATIENT, order(contained, "#med"))).onlyPatient()
        .medicationRequests().get(0));
  }

  @Test
  void aReferencedMedicationsIngredientsAreRead() {
    String medication = "{\"resourceType\": \"Medication\", \"id\": \"med\", "
        + MEDICATION_BODY + "}";
    assertPatch(read(bundle(PATIENT, medication, order("", "Medication/med"))).onlyPatient()
        .medicationRequests().get(0));
  }

  @Test
  void anOrderByCodeHasNoProduct() {
    MedicationRequest order = read(bundle(PATIENT,
        FhirMedicationDetailTest.order(FhirMedicationDetailTest.DETAILS))).onlyPatient()
        .medicationRequests().get(0);
    assertThat(order.product()).isNull();
  }
}
