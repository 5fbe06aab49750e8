package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds one record per Patient of an input: every other resource read as a fact is mapped and
 * added to the record of the patient its {@code subject} (or {@code patient}) names.
 */
final class RecordAssembler {

  /** A relative reference that names a resource type, e.g. {@code Group/g-1}. */
  private static final java.util.regex.Pattern TYPED_REFERENCE =
      java.util.regex.Pattern.compile("[A-Z][A-Za-z]+/.*");

  /** What a subject that names no Patient of the input is taken to mean. */
  enum DanglingSubject {
    /** An error. */
    ERROR,
    /**
     * The input's only Patient, with a data warning, even when it names another Patient (a test
     * deck's stale reference).
     */
    ONLY_PATIENT,
    /**
     * The input's only Patient, with a data warning, when it names no Patient at all (a
     * malformed CDS Hooks subject); one that names another Patient is an error.
     */
    ONLY_PATIENT_UNLESS_ANOTHER_IS_NAMED
  }

  private final ResourceIndex index;
  private final DanglingSubject danglingSubject;

  private RecordAssembler(ResourceIndex index, DanglingSubject danglingSubject) {
    this.index = index;
    this.danglingSubject = danglingSubject;
  }

  /**
   * The records of the indexed resources, with the skipped types and the data warnings.
   *
   * @throws InvalidPatientDataException naming the resource that cannot be read or added
   */
  static FhirData assemble(ResourceIndex index, DanglingSubject danglingSubject) {
    return new RecordAssembler(index, danglingSubject).records();
  }

  private FhirData records() {
    Map<LocatedResource, PatientRecord.Builder> patients = new LinkedHashMap<>();
    Map<LocatedResource, List<ClinicalFact>> factsByPatient = new HashMap<>();
    for (LocatedResource located : index.resources()) {
      if (located.type().equals("Patient")) {
        Patient patient = new PatientMapper(index, located).fact();
        patients.put(located, PatientRecord.builder(patient));
        factsByPatient.put(located, new ArrayList<>());
      }
    }
    // By identity: a fact's own equality would compare (and hash) all its data.
    Map<ClinicalFact, LocatedResource> sources = new IdentityHashMap<>();
    // Whose each resource is, by Type/id, so that each warning goes to its patient's record.
    Map<String, LocatedResource> owners = new HashMap<>();
    patients.keySet().forEach(p -> owners.put("Patient/" + p.id(), p));
    for (LocatedResource located : index.resources()) {
      if (located.type().equals("Patient") || located.type().equals("Medication")) {
        continue;
      }
      ResourceMapper mapper = ResourceMapper.of(index, located);
      String subjectField = subjectField(located.type());
      if (mapper.unknownModifier()) {
        // Left out, with a warning that goes to the patient its subject names, if any.
        LocatedResource named = index.lookup(
            located.resource().path(subjectField).path("reference").asText(""));
        if (named != null && patients.containsKey(named)) {
          owners.put(located.type() + "/" + located.id(), named);
        }
        continue;
      }
      JsonNode subject = mapper.fields.requiredObject(located.resource(), subjectField, "");
      LocatedResource patient = subject(located, subject, subjectField, patients.keySet());
      owners.put(located.type() + "/" + located.id(), patient);
      ClinicalFact fact = mapper.fact();
      if (fact != null) {
        factsByPatient.get(patient).add(fact);
        sources.put(fact, located);
      }
    }
    for (Map.Entry<LocatedResource, PatientRecord.Builder> entry : patients.entrySet()) {
      List<ClinicalFact> facts = factsByPatient.get(entry.getKey());
      Set<String> conditions = new HashSet<>();
      facts.forEach(f -> {
        if (f instanceof Condition) {
          conditions.add(f.id());
        }
      });
      for (ClinicalFact fact : facts) {
        try {
          entry.getValue().add(fact instanceof Encounter e ? keptDiagnoses(e, conditions) : fact);
        } catch (IllegalArgumentException e) {
          throw sources.get(fact).error("", e.getMessage());
        }
      }
    }
    // Each warning travels with the record of the patient whose resource it names; with one
    // patient in the input, every warning is about that patient's data.
    for (DataWarning warning : index.warnings()) {
      LocatedResource owner = patients.size() == 1 ? patients.keySet().iterator().next()
          : owners.get(warning.type() + "/" + warning.id());
      if (owner != null) {
        patients.get(owner).warning(warning);
      }
    }
    List<PatientRecord> records = new ArrayList<>();
    for (Map.Entry<LocatedResource, PatientRecord.Builder> entry : patients.entrySet()) {
      try {
        records.add(entry.getValue().build());
      } catch (IllegalArgumentException e) {
        throw entry.getKey().error("", e.getMessage());
      }
    }
    return new FhirData(records, index.skipped(), index.warnings());
  }

  /** The field that names the patient a resource of this type is about. */
  static String subjectField(String type) {
    return type.equals("Immunization") || type.equals("AllergyIntolerance") ? "patient"
        : "subject";
  }

  /** The Patient a resource's subject names, or the input's only one as the policy allows. */
  private LocatedResource subject(LocatedResource located, JsonNode subject, String field,
      Set<LocatedResource> patients) {
    String reference = new JsonFields(located).requiredText(subject, "reference", "." + field);
    try {
      return index.resolve(located, subject, "." + field, "Patient");
    } catch (InvalidPatientDataException e) {
      boolean namesAnotherType = TYPED_REFERENCE.matcher(reference).matches()
          && !reference.startsWith("Patient/");
      boolean namesAPatient = reference.startsWith("Patient/") || reference.contains("/Patient/");
      if (danglingSubject == DanglingSubject.ERROR || patients.size() != 1 || namesAnotherType
          || index.contains(reference)
          || (namesAPatient && danglingSubject != DanglingSubject.ONLY_PATIENT)) {
        throw e;
      }
      index.warn(new DataWarning(located.type(), located.id(), "its " + field + " '"
          + subject.path("reference").asText() + "' is not in the input; taken as the input's "
          + "only patient"));
      return patients.iterator().next();
    }
  }

  /** The encounter with only the diagnoses whose Conditions were read; warns for the rest. */
  private Encounter keptDiagnoses(Encounter encounter, Set<String> conditions) {
    List<String> kept = encounter.diagnoses().stream().filter(conditions::contains).toList();
    if (kept.size() == encounter.diagnoses().size()) {
      return encounter;
    }
    index.warn(new DataWarning("Encounter", encounter.id(), "its diagnoses "
        + encounter.diagnoses().stream().filter(d -> !conditions.contains(d)).toList()
        + " name Conditions that were left out, so they were left out too"));
    return new Encounter(encounter.id(), encounter.status(), encounter.encounterClass(),
        encounter.type(), encounter.period(), encounter.dischargeDisposition(), kept,
        encounter.participantType());
  }
}
