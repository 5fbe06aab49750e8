package io.github.cdsengine.core.fhir;

import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.model.PatientRecord;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a FHIR input held: one record per patient, the resources skipped, and data warnings.
 *
 * @param patients one record per Patient resource, in input order
 * @param skipped how many resources of each type were skipped because no rule uses that type
 *     (Claim, Organization, ...), by resource type
 * @param warnings resources or values that could not be used, and what was done instead
 */
public record FhirData(List<PatientRecord> patients, Map<String, Integer> skipped,
    List<DataWarning> warnings) {

  /**
   * Copies the collections.
   *
   * @param patients one record per Patient resource, in input order
   * @param skipped how many resources of each type were skipped because no rule uses that type
   *     (Claim, Organization, ...), by resource type
   * @param warnings resources or values that could not be used, and what was done instead
   * @throws NullPointerException if any is null
   */
  public FhirData {
    patients = List.copyOf(patients);
    skipped = Map.copyOf(Objects.requireNonNull(skipped, "skipped"));
    warnings = List.copyOf(warnings);
  }

  /**
   * The only patient in the input.
   *
   * @return the record of the one patient
   * @throws IllegalStateException naming the count when there is not exactly one
   */
  public PatientRecord onlyPatient() {
    if (patients.size() != 1) {
      throw new IllegalStateException("expected one patient, the input has " + patients.size());
    }
    return patients.get(0);
  }
}
