package io.github.cdsengine.rules.cdc.opioids2016;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Strengths read from RxNorm normalized drug names, and names that are not read. */
class RxNormNamesTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Acetaminophen 325 MG / Hydrocodone Bitartrate 10 MG Oral Tablet|HYDROCODONE|10|mg||false",
      "12 HR Oxycodone Hydrochloride 10 MG Extended Release Oral Tablet|OXYCODONE|10|mg||false",
      "Morphine Sulfate 10 MG [Kadian]|MORPHINE|10|mg||false",
      "oxyCODONE HCl 10 MG 12HR Extended Release Oral Tablet|OXYCODONE|10|mg||false",
      "Morphine Sulfate 2 MG/ML Oral Solution|MORPHINE|2|mg|mL|false",
      "72 HR Fentanyl 0.025 MG/HR Transdermal System|FENTANYL|0.025|mg|h|true",
      "Carbinoxamine maleate 0.4 MG/ML / Hydrocodone Bitartrate 1 MG/ML / Pseudoephedrine "
          + "Hydrochloride 6 MG/ML Oral Solution|HYDROCODONE|1|mg|mL|false"})
  void readsTheOpioidPartOfANormalizedName(String name, Opioid opioid, String amount,
      String unit, String per, boolean transdermal) {
    List<IngredientStrength> read = RxNormNames.strengths("1", name).orElseThrow();
    assertThat(read).singleElement().satisfies(s -> {
      assertThat(s.opioid()).isEqualTo(opioid);
      assertThat(s.amount()).isEqualTo(Quantity.of(amount, unit));
      assertThat(s.per() == null ? null : s.per().unit()).isEqualTo(per);
      assertThat(s.transdermal()).isEqualTo(transdermal);
      assertThat(s.source()).contains(name);
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"Acetaminophen 325 MG Oral Tablet", "oxycodone tablets",
      "Fentanyl 0.1 MG/ACTUAT Nasal Spray", "Hydrocodone", "5 MG Oxycodone", ""})
  void nothingIsReadFromANameThatIsNotANormalizedOpioidDrugName(String name) {
    assertThat(RxNormNames.strengths("1", name)).isEmpty();
  }

  @Test
  void anOrderNamedOnlyByItsRxNormNameGetsItsMme() {
    // acetaminophen 325 mg / hydrocodone 10 mg, 1 tablet every 4 hours: 6 x 10 mg x 1 = 60
    MedicationRequest order = MedicationRequest.builder("m1", RequestStatus.ACTIVE,
            RequestIntent.ORDER, CodeableConcept.of(new Code(Opioid.RXNORM, "856999",
                "Acetaminophen 325 MG / Hydrocodone Bitartrate 10 MG Oral Tablet")))
        .dosage(List.of(Dosage.builder().dose(Quantity.of("1", "{tablet}")).frequency(1)
            .period(new BigDecimal("4"), "h").asNeeded(false).build()))
        .build();
    OrderMme result = MmeCalculator.order(order);
    assertThat(result).isInstanceOfSatisfying(OrderMme.Computed.class, c -> {
      assertThat(c.mme()).isEqualByComparingTo("60");
      assertThat(c.ingredients().get(0).dailyDose().strengthSource()).contains("by its name");
    });
  }
}
