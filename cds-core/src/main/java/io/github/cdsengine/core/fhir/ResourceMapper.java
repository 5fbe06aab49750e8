package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.problem.DataWarning;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Maps one resource to a fact of the model; each subclass maps one family of resource types.
 * What FHIR allows but no rule can use is left out with a data warning.
 */
abstract sealed class ResourceMapper
    permits PatientMapper, ObservationMapper, MedicationMapper, CareRecordMapper {

  private static final Set<String> DO_NOT_PERFORM_EXTENSIONS = Set.of(
      "http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-doNotPerform",
      "http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-doNotPeform");

  /** QI-Core's modifier extension saying an observation was not made (ObservationNotDone). */
  private static final String NOT_DONE =
      "http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-notDone";

  /** The input, for references to other resources and for data warnings. */
  final ResourceIndex index;
  final LocatedResource at;
  /** The resource's JSON. */
  final JsonNode r;
  final JsonFields fields;

  ResourceMapper(ResourceIndex index, LocatedResource at) {
    this.index = index;
    this.at = at;
    this.r = at.resource();
    this.fields = new JsonFields(at);
  }

  /**
   * The mapper of a resource read as a fact of a patient (any type read but Patient and
   * Medication).
   *
   * @throws IllegalStateException for any other type
   */
  static ResourceMapper of(ResourceIndex index, LocatedResource at) {
    return switch (at.type()) {
      case "Observation" -> new ObservationMapper(index, at);
      case "MedicationRequest", "MedicationDispense" -> new MedicationMapper(index, at);
      case "Condition", "AllergyIntolerance", "Encounter", "Procedure", "Immunization",
          "ServiceRequest", "DeviceRequest", "CarePlan", "AdverseEvent" ->
          new CareRecordMapper(index, at);
      default -> throw new IllegalStateException(at.type());
    };
  }

  /** The fact, or null when the resource is left out with a data warning. */
  abstract ClinicalFact fact();

  final String id() {
    return fields.requiredText(r, "id", "");
  }

  final void warn(String message) {
    index.warn(new DataWarning(at.type(), at.id(), message));
  }

  /**
   * Whether the resource has a modifier extension this reader does not understand. It
   * understands QI-Core's {@code doNotPerform} on a DeviceRequest and QI-Core's {@code notDone}
   * on an Observation (see {@link #notDone()}), each only with its {@code valueBoolean}; a
   * URL's scheme and host are compared without case, as RFC 3986 defines them (the CMS test
   * decks write {@code http://Hl7.org/...}).
   */
  final boolean unknownModifier() {
    JsonNode modifiers = fields.array(r, "modifierExtension", "");
    if (modifiers == null) {
      return false;
    }
    for (int i = 0; i < modifiers.size(); i++) {
      String url = fields.requiredText(modifiers.get(i), "url", ".modifierExtension[" + i + "]");
      // A flag is understood only with its boolean: without one, whether the request is an
      // order not to do it, or the observation was made, is not known.
      boolean understood = (at.type().equals("DeviceRequest")
          ? DO_NOT_PERFORM_EXTENSIONS.contains(normalUrl(url))
          : at.type().equals("Observation") && NOT_DONE.equals(normalUrl(url)))
          && fields.bool(modifiers.get(i), "valueBoolean", ".modifierExtension[" + i + "]")
              != null;
      if (!understood) {
        warn("has the modifier extension " + url + ", which can change its meaning and is "
            + "not understood here; the resource was left out");
        return true;
      }
    }
    return false;
  }

  /**
   * Whether QI-Core's {@code notDone} modifier extension marks the resource as not done
   * ({@code valueBoolean} true).
   */
  final boolean notDone() {
    boolean notDone = false;
    for (JsonFields.Item modifier : fields.objects(r, "modifierExtension", "")) {
      String url = fields.text(modifier.node(), "url", modifier.path());
      if (url != null && NOT_DONE.equals(normalUrl(url))) {
        notDone |= Boolean.TRUE.equals(fields.bool(modifier.node(), "valueBoolean",
            modifier.path()));
      }
    }
    return notDone;
  }

  /** The URL with its scheme and host in lower case, the case RFC 3986 gives them meaning in. */
  private static String normalUrl(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return url;
    }
    int path = url.indexOf('/', scheme + 3);
    int end = path < 0 ? url.length() : path;
    return url.substring(0, end).toLowerCase(java.util.Locale.ROOT) + url.substring(end);
  }

  /**
   * Warns about a choice element given in a type the model does not carry, e.g.
   * {@code valueString} or {@code performedAge}: it is left out.
   */
  final void unsupportedChoices(String choice, Set<String> carried) {
    for (Iterator<String> names = r.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (name.startsWith(choice) && name.length() > choice.length()
          && Character.isUpperCase(name.charAt(choice.length())) && !carried.contains(name)) {
        warn("has " + name + ", a type of " + choice + "[x] that is not carried; that element "
            + "was left out");
      }
    }
  }

  /** Warns about quantities left out because they are not exact values with a unit. */
  final void inexactValueWarnings() {
    for (String value : fields.inexactValues()) {
      warn("has the value " + value + ", not an exact value with a unit; that value was left "
          + "out");
    }
  }

  /**
   * The coded value of the resource's extension {@code url} ({@code valueCodeableConcept}), or
   * null when it has none. QI-Core allows one such extension (its reason extensions are 0..1);
   * the codings of several are merged, with a warning.
   */
  final CodeableConcept extensionConcept(String url) {
    List<Code> codes = new ArrayList<>();
    int found = 0;
    for (JsonFields.Item extension : fields.objects(r, "extension", "")) {
      if (url.equals(fields.text(extension.node(), "url", extension.path()))) {
        found++;
        CodeableConcept value = fields.concept(extension.node(), "valueCodeableConcept",
            extension.path());
        if (value != null) {
          codes.addAll(value.codings());
        }
      }
    }
    if (found > 1) {
      warn("has " + found + " extensions " + url + " where one is allowed; their codes were "
          + "merged");
    }
    return codes.isEmpty() ? null : new CodeableConcept(codes, null);
  }

  /** The concept of a code field, or null with a warning that the resource was left out. */
  final CodeableConcept requiredCode(String field) {
    CodeableConcept code = fields.concept(r, field, "");
    if (code == null) {
      warn("has no coded " + field + ", so no rule can match it; the resource was left out");
    }
    return code;
  }
}
