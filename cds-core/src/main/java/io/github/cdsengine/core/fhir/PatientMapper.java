package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Patient;
import java.time.ZoneOffset;

/**
 * Maps a Patient: its birth date (left out with a warning when it has no day), gender and date of
 * death ({@code deceasedDateTime}; a date of death before the birth date is an error). A
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
    ClinicalTime deceased = fields.time(r, "deceasedDateTime", "");
    if (deceased != null && birth != null
        && deceased.latestDate(ZoneOffset.UTC).plusDays(1).isBefore(birth.date())) {
      throw at.error(".deceasedDateTime", "the date of death " + r.get("deceasedDateTime").asText()
          + " is before the birth date " + birth.date());
    }
    return new Patient(id(), birth == null ? null : birth.date(),
        fields.code(r, "gender", "", AdministrativeGender.class, false), deceased);
  }
}
