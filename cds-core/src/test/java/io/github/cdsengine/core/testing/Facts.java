package io.github.cdsengine.core.testing;

import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeSystems;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.VerificationStatus;
import java.time.LocalDate;

/** Short constructors for test patients and facts, shared by the modules' tests. */
public final class Facts {

  private Facts() {}

  /** A patient with this id and birth date. */
  public static Patient patient(String id, LocalDate birthDate) {
    return new Patient(id, birthDate, AdministrativeGender.FEMALE);
  }

  /** A completed procedure on a date. */
  public static Procedure procedure(String id, Code code, LocalDate performed) {
    return procedure(id, code, EventStatus.COMPLETED, performed);
  }

  /** A procedure with a status on a date. */
  public static Procedure procedure(String id, Code code, EventStatus status, LocalDate performed) {
    return new Procedure(id, status, CodeableConcept.of(code),
        Period.at(ClinicalTime.of(performed)));
  }

  /** A final observation with no value on a date. */
  public static Observation observation(String id, Code code, LocalDate effective) {
    return observation(id, code, ObservationStatus.FINAL, effective);
  }

  /** An observation with a status and no value on a date. */
  public static Observation observation(String id, Code code, ObservationStatus status,
      LocalDate effective) {
    return Observations.observation(id, code).status(status).on(effective).build();
  }

  /** A final observation on a date with a coded value, SNOMED CT "Negative". */
  public static Observation result(String id, Code code, LocalDate effective) {
    return Observations.observation(id, code).on(effective)
        .value(Code.of(CodeSystems.SNOMED_CT, "260385009")).build();
  }

  /** An active, confirmed condition. */
  public static Condition condition(String id, Code code) {
    return condition(id, code, VerificationStatus.CONFIRMED);
  }

  /** An active condition with a verification status. */
  public static Condition condition(String id, Code code, VerificationStatus verification) {
    return new Condition(id, CodeableConcept.of(code), ConditionClinicalStatus.ACTIVE,
        verification, null, null, null);
  }
}
