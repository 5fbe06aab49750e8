package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationComponent;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.ObservationValueType;
import io.github.cdsengine.core.model.Quantity;
import java.math.BigDecimal;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Maps an Observation: its status, code, effective time, value (one value[x] at most; a
 * {@code valueInteger} is a quantity with the UCUM unit {@code 1}), components, category,
 * interpretation, encounter, issued time and QI-Core's not-done reason. QI-Core's {@code notDone}
 * modifier extension is understood on a cancelled observation; on one of any other status the
 * resource is left out with a warning.
 */
final class ObservationMapper extends ResourceMapper {

  /** The elements of every type FHIR R4 allows for Observation.value[x]. */
  private static final Set<String> VALUE_ELEMENTS = Stream.of(ObservationValueType.values())
      .map(ObservationValueType::element).collect(Collectors.toUnmodifiableSet());

  private static final ObservationValueType[] VALUE_TYPES = ObservationValueType.values();

  /** Each value type's element name, by ordinal, made once. */
  private static final String[] ELEMENTS = Stream.of(VALUE_TYPES)
      .map(ObservationValueType::element).toArray(String[]::new);

  /** QI-Core's extension for why an observation was not made (ObservationNotDone). */
  static final String NOT_DONE_REASON =
      "http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-notDoneReason";

  ObservationMapper(ResourceIndex index, LocatedResource at) {
    super(index, at);
  }

  @Override
  ClinicalFact fact() {
    ObservationStatus status = fields.code(r, "status", "", ObservationStatus.class, true);
    CodeableConcept code = requiredCode("code");
    if (code == null) {
      return null;
    }
    if (notDone() && status != ObservationStatus.CANCELLED) {
      // QI-Core's ObservationNotDone is cancelled; any other status would read as a result.
      warn("is marked not done (qicore-notDone) but its status is " + status.code()
          + ", not cancelled; the resource was left out");
      return null;
    }
    int values = 0;
    for (Iterator<String> names = r.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (name.startsWith("value") && name.length() > 5
          && Character.isUpperCase(name.charAt(5))) {
        values++;
      }
    }
    if (values > 1) {
      throw at.error("", "has " + values + " value[x] elements; FHIR allows one");
    }
    unsupportedChoices("value", VALUE_ELEMENTS);
    unsupportedChoices("effective", Set.of("effectiveDateTime", "effectivePeriod",
        "effectiveInstant"));
    Quantity quantity = fields.quantity(r, "valueQuantity", "");
    JsonNode integer = r.get("valueInteger");
    if (integer != null) {
      if (!integer.isIntegralNumber()) {
        throw at.error(".valueInteger", "expected an integer, got " + integer);
      }
      quantity = new Quantity(new BigDecimal(integer.bigIntegerValue()), "1");
    }
    CodeableConcept concept = fields.concept(r, "valueCodeableConcept", "");
    if (concept == null && r.hasNonNull("valueCodeableConcept")) {
      // A result given as text only ("Positive", with no coding) is kept as a concept with no
      // codings: no value set matches it, but a rule can read its text.
      String valueText = fields.text(fields.object(r, "valueCodeableConcept", ""), "text",
          ".valueCodeableConcept");
      if (valueText != null && !valueText.isBlank()) {
        concept = new CodeableConcept(List.of(), valueText);
      }
    }
    Boolean bool = fields.bool(r, "valueBoolean", "");
    List<ObservationComponent> components = components();
    String text = fields.text(r, "valueString", "");
    Observation observation = new Observation(id(), status, code,
        fields.dateTimeOrPeriod(r, "effective", ""), quantity, concept, bool, components,
        fields.mergedConcepts(r, "category", ""), encounterId(), text, valueType(),
        fields.mergedConcepts(r, "interpretation", ""), fields.time(r, "issued", ""),
        extensionConcept(NOT_DONE_REASON));
    inexactValueWarnings();
    return observation;
  }

  private List<ObservationComponent> components() {
    List<ObservationComponent> components = new ArrayList<>();
    JsonNode parts = fields.array(r, "component", "");
    if (parts != null) {
      for (int i = 0; i < parts.size(); i++) {
        String path = ".component[" + i + "]";
        CodeableConcept partCode = fields.concept(parts.get(i), "code", path);
        if (partCode == null) {
          throw at.error(path + ".code", "a component needs a coded code");
        }
        components.add(new ObservationComponent(partCode,
            fields.quantity(parts.get(i), "valueQuantity", path),
            fields.concept(parts.get(i), "valueCodeableConcept", path)));
      }
    }
    return components;
  }

  /**
   * The type of the value an observation carries, or null when it carries none, as FHIRHelpers'
   * {@code ToValue} (the measures' {@code value is not null}) sees it: any value[x] element
   * counts, whether or not the model keeps its detail, except a quantity without a number
   * ({@code ToQuantity} gives null) and a primitive given only as an extension ({@code
   * _valueString}). A quantity with a comparator or without a unit is left out of {@code
   * valueQuantity} with a warning but is a value; a concept with text and no coding is kept
   * with its text and no codings.
   * Types the model keeps no detail of are checked for their JSON shape, and a date-time,
   * time or period for its form.
   */
  private ObservationValueType valueType() {
    for (ObservationValueType type : VALUE_TYPES) {
      JsonNode value = r.get(ELEMENTS[type.ordinal()]);
      if (value == null || value.isNull()) {
        continue;
      }
      String path = "." + type.element();
      switch (type) {
        case QUANTITY -> {
          JsonNode number = fields.object(r, type.element(), "").get("value");
          if (number == null || number.isNull()) {
            return null;
          }
        }
        case CODEABLE_CONCEPT, RANGE, RATIO, SAMPLED_DATA -> fields.object(r, type.element(), "");
        case STRING -> fields.text(r, type.element(), "");
        case DATE_TIME -> fields.time(r, type.element(), "");
        case PERIOD -> fields.period(r, type.element(), "");
        case TIME -> {
          String time = fields.text(r, type.element(), "");
          try {
            LocalTime.parse(time);
          } catch (DateTimeParseException e) {
            throw at.error(path, "expected a time such as 08:30:00, got " + time);
          }
        }
        default -> { }
      }
      return type;
    }
    return null;
  }

  /**
   * The id of the encounter an observation names ({@code encounter.reference}): that
   * encounter's id when it is in the input, otherwise the reference's last segment, as
   * QI-Core's {@code getId()} takes it. An encounter outside the input is not an error: the
   * observation stands without it, and a rule looking for the encounter finds none.
   */
  private String encounterId() {
    JsonNode encounter = fields.object(r, "encounter", "");
    if (encounter == null) {
      return null;
    }
    String ref = fields.text(encounter, "reference", ".encounter");
    if (ref == null || ref.isBlank()) {
      return null;
    }
    LocatedResource target = index.lookup(ref);
    if (target != null && target.type().equals("Encounter")) {
      return target.id();
    }
    return ref.substring(ref.lastIndexOf('/') + 1);
  }
}
