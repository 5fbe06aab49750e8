package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Patient;

/**
 * Maps a Patient: its birth date (left out with a warning when it has no day) and gender. A
 * Patient with any modifier extension is an error: its record cannot be read safely.
 */
final class PatientMapper extends ResourceMapper {

  PatientMapper(ResourceIndex index, LocatedResource at) {
    super(index, at);
  }

  @Override
  Patient fact() {
    JsonNode modifiers = fields.array(r, "modifierExtension", "");
    if (modifiers != null && !modifiers.isEmpty()) {
      throw at.error(".modifierExtension", "a Patient with a modifier extension this reader "
          + "does not understand cannot be read safely");
    }
    ClinicalTime birth = fields.time(r, "birthDate", "");
    if (birth != null && birth.precision() == ClinicalTime.Precision.INSTANT) {
      throw at.error(".birthDate", "a birth date is a date, not a date-time: "
          + r.get("birthDate").asText());
    }
    if (birth != null && birth.isPartial()) {
      warn("birth date " + birth + " has no day, so the age is not known exactly; "
          + "the birth date was left out");
      birth = null;
    }
    return new Patient(id(), birth == null ? null : birth.date(),
        fields.code(r, "gender", "", AdministrativeGender.class, false));
  }
}
