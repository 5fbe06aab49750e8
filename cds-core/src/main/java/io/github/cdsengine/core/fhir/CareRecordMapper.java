package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.model.AdverseEvent;
import io.github.cdsengine.core.model.AllergyClinicalStatus;
import io.github.cdsengine.core.model.AllergyIntolerance;
import io.github.cdsengine.core.model.CarePlan;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.DeviceRequest;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.EncounterStatus;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.FhirCode;
import io.github.cdsengine.core.model.Immunization;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.model.ServiceRequest;
import io.github.cdsengine.core.model.VerificationStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Maps what the record holds besides observations and medication: a Condition or an
 * AllergyIntolerance (code, clinical and verification status), an Encounter (class, merged
 * types, period, discharge disposition, diagnoses and participant types), a Procedure (with its
 * reasons), an Immunization, a ServiceRequest (with its reasons and, for an order not to do it,
 * QI-Core's {@code qicore-doNotPerformReason}), a DeviceRequest (QI-Core's {@code doNotPerform} modifier
 * extension sets {@code doNotPerform}), a CarePlan or an AdverseEvent (event, recorded date and
 * date; one whose {@code actuality} is {@code potential}, a near miss, is left out with a data
 * warning).
 */
final class CareRecordMapper extends ResourceMapper {

  /** QI-Core's extension for why a service is not to be done (ServiceNotRequested). */
  static final String DO_NOT_PERFORM_REASON =
      "http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-doNotPerformReason";

  CareRecordMapper(ResourceIndex index, LocatedResource at) {
    super(index, at);
  }

  @Override
  ClinicalFact fact() {
    return switch (at.type()) {
      case "Condition" -> condition();
      case "AllergyIntolerance" -> allergy();
      case "Encounter" -> encounter();
      case "Procedure" -> procedure();
      case "Immunization" -> immunization();
      case "ServiceRequest" -> serviceRequest();
      case "DeviceRequest" -> deviceRequest();
      case "CarePlan" -> carePlan();
      case "AdverseEvent" -> adverseEvent();
      default -> throw new IllegalStateException(at.type());
    };
  }

  private Condition condition() {
    CodeableConcept code = requiredCode("code");
    if (code == null) {
      return null;
    }
    unsupportedChoices("onset", Set.of("onsetDateTime", "onsetPeriod"));
    unsupportedChoices("abatement", Set.of("abatementDateTime", "abatementPeriod"));
    Period onset = fields.dateTimeOrPeriod(r, "onset", "");
    Period abatement = fields.dateTimeOrPeriod(r, "abatement", "");
    return new Condition(id(), code,
        conceptStatus("clinicalStatus", ConditionClinicalStatus.class,
            "http://terminology.hl7.org/CodeSystem/condition-clinical"),
        conceptStatus("verificationStatus", VerificationStatus.class,
            "http://terminology.hl7.org/CodeSystem/condition-ver-status"),
        onset == null ? null : onset.earliest(),
        abatement == null ? null : abatement.latest(),
        fields.time(r, "recordedDate", ""),
        fields.mergedConcepts(r, "category", ""),
        fields.mergedConcepts(r, "bodySite", ""),
        fields.concept(r, "severity", ""));
  }

  private AllergyIntolerance allergy() {
    CodeableConcept code = requiredCode("code");
    if (code == null) {
      return null;
    }
    return new AllergyIntolerance(id(),
        conceptStatus("clinicalStatus", AllergyClinicalStatus.class,
            "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"),
        conceptStatus("verificationStatus", VerificationStatus.class,
            "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"),
        code, fields.time(r, "recordedDate", ""), onsetStart(),
        fields.time(r, "lastOccurrence", ""));
  }

  /** The AllergyIntolerance's onset: its onsetDateTime, or the start of its onsetPeriod. */
  private ClinicalTime onsetStart() {
    unsupportedChoices("onset", Set.of("onsetDateTime", "onsetPeriod"));
    Period onset = fields.dateTimeOrPeriod(r, "onset", "");
    return onset == null ? null : onset.earliest();
  }

  private AdverseEvent adverseEvent() {
    String actuality = fields.text(r, "actuality", "");
    if ("potential".equals(actuality)) {
      warn("a potential adverse event (a near miss) is not an event the patient had; left out");
      return null;
    }
    return new AdverseEvent(id(), fields.concept(r, "event", ""),
        fields.time(r, "recordedDate", ""), fields.time(r, "date", ""));
  }

  /**
   * A status given as a CodeableConcept (clinicalStatus, verificationStatus): the code of its
   * coding from FHIR's code system for it, whatever other codings come first.
   */
  private <E extends Enum<E> & FhirCode> E conceptStatus(String field, Class<E> type,
      String system) {
    JsonNode concept = fields.object(r, field, "");
    if (concept == null) {
      return null;
    }
    String code = null;
    for (JsonFields.Item coding : fields.objects(concept, "coding", "." + field)) {
      if (system.equals(fields.text(coding.node(), "system", coding.path()))) {
        code = fields.text(coding.node(), "code", coding.path());
        break;
      }
    }
    if (code == null) {
      throw at.error("." + field, "needs a coding from " + system
          + "; without one the status is unknown, and a resolved or refuted condition could "
          + "be taken as present");
    }
    try {
      return FhirCode.fromCode(type, code);
    } catch (IllegalArgumentException e) {
      throw at.error("." + field, e.getMessage());
    }
  }

  private Encounter encounter() {
    EncounterStatus status = fields.code(r, "status", "", EncounterStatus.class, true);
    JsonNode encounterClass = fields.object(r, "class", "");
    if (encounterClass == null) {
      warn("has no class (required by FHIR), so no rule on the setting of care can match it");
    }
    JsonNode hospitalization = fields.object(r, "hospitalization", "");
    List<String> diagnoses = new ArrayList<>();
    for (JsonFields.Item diagnosis : fields.objects(r, "diagnosis", "")) {
      String path = diagnosis.path();
      JsonNode condition = fields.requiredObject(diagnosis.node(), "condition", path);
      if (index.isPrefetch()) {
        // A CDS Hooks prefetch need not hold every Condition an encounter names.
        String ref = fields.requiredText(condition, "reference", path + ".condition");
        LocatedResource target = index.lookup(ref);
        if (target == null || !target.type().equals("Condition")) {
          warn("diagnosis '" + ref + "' is not among the request's resources; that "
              + "diagnosis was left out");
          continue;
        }
      }
      diagnoses.add(index.resolve(at, condition, path + ".condition", "Condition").id());
    }
    return new Encounter(id(), status,
        encounterClass == null ? null : fields.coding(encounterClass, ".class"),
        fields.mergedConcepts(r, "type", ""), fields.period(r, "period", ""),
        hospitalization == null ? null
            : fields.concept(hospitalization, "dischargeDisposition", ".hospitalization"),
        diagnoses, participantTypes());
  }

  /** The types of every participant of an encounter merged, or null when none is coded. */
  private CodeableConcept participantTypes() {
    List<Code> codes = new ArrayList<>();
    for (JsonFields.Item participant : fields.objects(r, "participant", "")) {
      CodeableConcept types =
          fields.mergedConcepts(participant.node(), "type", participant.path());
      if (types != null) {
        codes.addAll(types.codings());
      }
    }
    return codes.isEmpty() ? null : new CodeableConcept(codes, null);
  }

  private Procedure procedure() {
    EventStatus status = fields.code(r, "status", "", EventStatus.class, true);
    CodeableConcept code = requiredCode("code");
    if (code == null) {
      return null;
    }
    unsupportedChoices("performed", Set.of("performedDateTime", "performedPeriod"));
    List<String> performers = new ArrayList<>();
    for (JsonFields.Item performer : fields.objects(r, "performer", "")) {
      String actor = fields.referenceText(performer.node(), "actor", performer.path());
      if (actor != null) {
        performers.add(actor);
      }
    }
    return new Procedure(id(), status, code, fields.dateTimeOrPeriod(r, "performed", ""),
        performers, fields.mergedConcepts(r, "reasonCode", ""));
  }

  private Immunization immunization() {
    EventStatus status = fields.code(r, "status", "", EventStatus.class, true);
    CodeableConcept vaccine = requiredCode("vaccineCode");
    if (vaccine == null) {
      return null;
    }
    unsupportedChoices("occurrence", Set.of("occurrenceDateTime"));
    if (Boolean.TRUE.equals(fields.bool(r, "isSubpotent", ""))) {
      warn("is a subpotent dose, which does not count as protective; the resource was left out");
      return null;
    }
    return new Immunization(id(), status, vaccine, fields.time(r, "occurrenceDateTime", ""));
  }

  private ServiceRequest serviceRequest() {
    RequestStatus status = fields.code(r, "status", "", RequestStatus.class, true);
    RequestIntent intent = fields.code(r, "intent", "", RequestIntent.class, true);
    CodeableConcept code = requiredCode("code");
    if (code == null) {
      return null;
    }
    unsupportedChoices("occurrence", Set.of("occurrenceDateTime", "occurrencePeriod"));
    return new ServiceRequest(id(), status, intent, code, fields.time(r, "authoredOn", ""),
        Boolean.TRUE.equals(fields.bool(r, "doNotPerform", "")),
        fields.dateTimeOrPeriod(r, "occurrence", ""), fields.mergedConcepts(r, "reasonCode", ""),
        extensionConcept(DO_NOT_PERFORM_REASON));
  }

  private DeviceRequest deviceRequest() {
    RequestStatus status = fields.code(r, "status", "", RequestStatus.class, false);
    RequestIntent intent = fields.code(r, "intent", "", RequestIntent.class, true);
    CodeableConcept code = fields.concept(r, "codeCodeableConcept", "");
    if (code == null) {
      warn("has no codeCodeableConcept, so no rule can match it; the resource was left out");
      return null;
    }
    boolean doNotPerform = false;
    JsonNode modifiers = fields.array(r, "modifierExtension", "");
    for (int i = 0; modifiers != null && i < modifiers.size(); i++) {
      doNotPerform |= Boolean.TRUE.equals(fields.bool(modifiers.get(i), "valueBoolean",
          ".modifierExtension[" + i + "]"));
    }
    return new DeviceRequest(id(), status == null ? RequestStatus.UNKNOWN : status, intent,
        code, fields.time(r, "authoredOn", ""), doNotPerform);
  }

  private CarePlan carePlan() {
    RequestStatus status = fields.code(r, "status", "", RequestStatus.class, true);
    RequestIntent intent = fields.code(r, "intent", "", RequestIntent.class, true);
    JsonNode meta = fields.object(r, "meta", "");
    return new CarePlan(id(), status, intent, fields.mergedConcepts(r, "category", ""),
        fields.time(r, "created", ""),
        meta == null ? null : fields.time(meta, "lastUpdated", ".meta"),
        fields.referenceText(r, "author", ""));
  }
}
