package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.DispenseRequest;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.Medication;
import io.github.cdsengine.core.model.MedicationDispense;
import io.github.cdsengine.core.model.MedicationDispenseStatus;
import io.github.cdsengine.core.model.MedicationIngredient;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.rule.MedicationPeriod;
import java.math.BigDecimal;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a MedicationRequest (with its dispense request and dosage) or a MedicationDispense. The
 * medication is given by code or by a reference to a Medication, contained or in the input,
 * whose form and ingredients become the product.
 */
final class MedicationMapper extends ResourceMapper {

  MedicationMapper(ResourceIndex index, LocatedResource at) {
    super(index, at);
  }

  @Override
  ClinicalFact fact() {
    return at.type().equals("MedicationRequest") ? medicationRequest() : medicationDispense();
  }

  private MedicationRequest medicationRequest() {
    RequestStatus status = fields.code(r, "status", "", RequestStatus.class, true);
    RequestIntent intent = fields.code(r, "intent", "", RequestIntent.class, true);
    ReferencedMedication coded = codedMedication();
    if (coded == null) {
      return null;
    }
    MedicationRequest request = new MedicationRequest(id(), status, intent, coded.code(),
        fields.time(r, "authoredOn", ""), Boolean.TRUE.equals(fields.bool(r, "doNotPerform", "")),
        dispenseRequest(), dosage(), fields.mergedConcepts(r, "category", ""), coded.product(),
        fields.referenceText(r, "recorder", ""), fields.mergedConcepts(r, "reasonCode", ""));
    inexactValueWarnings();
    return request;
  }

  /**
   * A dispense: its medication by code or by reference (resolved as for an order), its times
   * (FHIR's invariant mdd-1: not handed over before it was prepared), amounts, category and the
   * orders it fills.
   */
  private MedicationDispense medicationDispense() {
    MedicationDispenseStatus status = fields.code(r, "status", "",
        MedicationDispenseStatus.class, true);
    ReferencedMedication coded = codedMedication();
    if (coded == null) {
      return null;
    }
    ClinicalTime prepared = fields.time(r, "whenPrepared", "");
    ClinicalTime handedOver = fields.time(r, "whenHandedOver", "");
    if (JsonFields.endsBefore(prepared, handedOver)) {
      throw at.error(".whenHandedOver", "handed over (" + handedOver + ") before it was "
          + "prepared (" + prepared + "); FHIR's invariant mdd-1 forbids it");
    }
    List<String> prescriptions = new ArrayList<>();
    for (JsonFields.Item order : fields.objects(r, "authorizingPrescription", "")) {
      String text = fields.text(order.node(), "reference", order.path());
      if (text != null && !text.isBlank()) {
        prescriptions.add(text);
      }
    }
    MedicationDispense dispense = new MedicationDispense(id(), status, coded.code(), prepared,
        handedOver, fields.quantity(r, "quantity", "", true),
        fields.quantity(r, "daysSupply", ""), fields.concept(r, "category", ""), coded.product(),
        prescriptions);
    inexactValueWarnings();
    return dispense;
  }

  private DispenseRequest dispenseRequest() {
    JsonNode dispense = fields.object(r, "dispenseRequest", "");
    if (dispense == null) {
      return null;
    }
    String path = ".dispenseRequest";
    Quantity supply = fields.quantity(dispense, "expectedSupplyDuration", path);
    if (supply != null && MedicationPeriod.supplyDays(supply) == null) {
      warn("dispenseRequest.expectedSupplyDuration has the unit '" + supply.unit()
          + "', which is not a unit of time, so the days the order supplies are unknown");
    }
    return new DispenseRequest(fields.period(dispense, "validityPeriod", path),
        fields.integer(dispense, "numberOfRepeatsAllowed", path),
        fields.quantity(dispense, "quantity", path, true), supply);
  }

  private List<Dosage> dosage() {
    List<Dosage> dosage = new ArrayList<>();
    for (JsonFields.Item item : fields.objects(r, "dosageInstruction", "")) {
      String path = item.path();
      JsonNode instruction = item.node();
      Quantity dose = null;
      Quantity rangeHigh = null;
      JsonNode rates = fields.array(instruction, "doseAndRate", path);
      for (int j = 0; rates != null && j < rates.size() && dose == null; j++) {
        String ratePath = path + ".doseAndRate[" + j + "]";
        dose = fields.quantity(rates.get(j), "doseQuantity", ratePath);
        JsonNode range = fields.object(rates.get(j), "doseRange", ratePath);
        if (dose == null && range != null && rangeHigh == null) {
          rangeHigh = fields.quantity(range, "high", ratePath + ".doseRange");
        }
      }
      JsonNode timing = fields.object(instruction, "timing", path);
      JsonNode repeat = timing == null ? null : fields.object(timing, "repeat", path + ".timing");
      String repeatPath = path + ".timing.repeat";
      Integer frequency = repeat == null ? null : fields.integer(repeat, "frequency", repeatPath);
      Integer frequencyMax = repeat == null ? null
          : fields.integer(repeat, "frequencyMax", repeatPath);
      BigDecimal period = null;
      if (repeat != null && repeat.has("period")) {
        if (!repeat.get("period").isNumber()) {
          throw at.error(repeatPath + ".period", "expected a number, got "
              + repeat.get("period"));
        }
        period = repeat.get("period").decimalValue();
      }
      String unit = repeat == null ? null : fields.text(repeat, "periodUnit", repeatPath);
      if (unit != null && !Dosage.PERIOD_UNITS.contains(unit)) {
        throw at.error(repeatPath + ".periodUnit", "unknown period unit '" + unit
            + "'; expected s, min, h, d, wk, mo or a");
      }
      List<LocalTime> times = new ArrayList<>();
      JsonNode timeOfDay = repeat == null ? null : fields.array(repeat, "timeOfDay", repeatPath);
      for (int j = 0; timeOfDay != null && j < timeOfDay.size(); j++) {
        try {
          times.add(LocalTime.parse(timeOfDay.get(j).asText()));
        } catch (DateTimeParseException e) {
          throw at.error(repeatPath + ".timeOfDay[" + j + "]", "not a time: " + timeOfDay.get(j));
        }
      }
      dosage.add(new Dosage(dose, frequency, period, unit, times,
          repeat == null ? null : fields.period(repeat, "boundsPeriod", repeatPath),
          fields.bool(instruction, "asNeededBoolean", path), frequencyMax, rangeHigh));
    }
    return dosage;
  }

  /** A referenced Medication's code and its product details. */
  private record ReferencedMedication(CodeableConcept code, Medication product) {}

  /**
   * The medication of an order or a dispense: its {@code medicationCodeableConcept}, or the code
   * of the Medication its {@code medicationReference} names (with that Medication as the
   * product); null, with a warning that the resource was left out, when there is no code.
   */
  private ReferencedMedication codedMedication() {
    CodeableConcept medication = fields.concept(r, "medicationCodeableConcept", "");
    JsonNode reference = fields.object(r, "medicationReference", "");
    if (medication == null && reference != null) {
      ReferencedMedication referenced = medicationByReference(reference);
      if (referenced.code() != null) {
        return referenced;
      }
    } else if (medication != null) {
      return new ReferencedMedication(medication, null);
    }
    warn("has no coded medication, so no rule can match it; the resource was left out");
    return null;
  }

  private ReferencedMedication medicationByReference(JsonNode reference) {
    String ref = fields.requiredText(reference, "reference", ".medicationReference");
    if (ref.startsWith("#")) {
      JsonNode contained = fields.array(r, "contained", "");
      for (int i = 0; contained != null && i < contained.size(); i++) {
        JsonNode resource = contained.get(i);
        if (!resource.isObject()) {
          throw at.error(".contained[" + i + "]", "expected a resource object");
        }
        if ("Medication".equals(resource.path("resourceType").asText())
            && ref.substring(1).equals(resource.path("id").asText())) {
          String path = ".contained[" + i + "]";
          return new ReferencedMedication(fields.concept(resource, "code", path),
              product(fields, resource, path));
        }
      }
      throw at.error(".medicationReference.reference", "reference '" + ref
          + "' resolves to no contained Medication");
    }
    if (index.isPrefetch()) {
      // A CDS Hooks prefetch need not hold every resource an order refers to.
      LocatedResource target = index.lookup(ref);
      if (target == null || !target.type().equals("Medication")) {
        warn("medicationReference '" + ref + "' is not among the request's resources");
        return new ReferencedMedication(null, null);
      }
    }
    LocatedResource medication = index.resolve(at, reference, ".medicationReference",
        "Medication");
    JsonFields own = new JsonFields(medication);
    return new ReferencedMedication(own.concept(medication.resource(), "code", ""),
        product(own, medication.resource(), ""));
  }

  /**
   * A Medication's form and ingredients with their strengths ({@code strength.numerator} per
   * {@code strength.denominator}). An ingredient given only by reference keeps its strength
   * with no item; its code is not looked up.
   */
  private static Medication product(JsonFields from, JsonNode resource, String path) {
    List<MedicationIngredient> ingredients = new ArrayList<>();
    for (JsonFields.Item ingredient : from.objects(resource, "ingredient", path)) {
      String itemPath = ingredient.path();
      JsonNode item = ingredient.node();
      JsonNode strength = from.object(item, "strength", itemPath);
      String strengthPath = itemPath + ".strength";
      ingredients.add(new MedicationIngredient(
          from.concept(item, "itemCodeableConcept", itemPath),
          strength == null ? null : from.quantity(strength, "numerator", strengthPath),
          strength == null ? null : from.quantity(strength, "denominator", strengthPath, true)));
    }
    return new Medication(from.concept(resource, "form", path), ingredients);
  }
}
