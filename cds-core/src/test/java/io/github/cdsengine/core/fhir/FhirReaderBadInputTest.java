package io.github.cdsengine.core.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.problem.CdsException;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input is refused with an {@link InvalidPatientDataException} naming the JSON
 * path of the fault, never another exception and never a partial record.
 *
 * <p>Each case is one fault in {@code fhir/every-resource-type.json}, a bundle that reads without
 * warnings (see {@link FhirReaderMappingTest}), made with a JSON-pointer edit or a text edit. Its
 * entries: 0 Patient p1 (fullUrl urn:uuid), 1 Condition c1, 2 Observation o1 (blood pressure
 * components), 3 Observation o2 (valueQuantity, effectivePeriod), 4 Medication med1,
 * 5 MedicationRequest mr1 (Medication/med1), 6 MedicationRequest mr2 (contained #m1),
 * 7 Procedure pr1, 8 Immunization im1, 9 Encounter e1, 10 AllergyIntolerance a1,
 * 11 ServiceRequest sr1, 12 DeviceRequest dr1 (doNotPerform modifier extension), 13 Observation
 * o3 (valueInteger), 14 Observation o4 (valueBoolean), 15 MedicationDispense md1, 16
 * Organization org1.
 */
class FhirReaderBadInputTest {

  private static final String BASE = FhirInputs.text(FhirInputs.EVERY_RESOURCE_TYPE);

  /** One bad input: its name, how it is made from the base bundle, where and what the fault is. */
  private static Arguments bad(String name, UnaryOperator<String> fault, String path,
      String fragment) {
    return Arguments.of(name, fault, path, fragment);
  }

  private static UnaryOperator<String> text(String json) {
    return base -> json;
  }

  private static UnaryOperator<String> setAt(String pointer, String value) {
    return base -> FhirInputs.set(base, pointer, value);
  }

  private static UnaryOperator<String> removeAt(String pointer) {
    return base -> FhirInputs.remove(base, pointer);
  }

  private static UnaryOperator<String> replace(String find, String replacement) {
    return base -> {
      if (!base.contains(find)) {
        throw new IllegalArgumentException("the base bundle has no " + find);
      }
      return base.replaceFirst(Pattern.quote(find), Matcher.quoteReplacement(replacement));
    };
  }

  static Stream<Arguments> badInputs() {
    String condition = "$.entry[1].resource";
    String bloodPressure = "$.entry[2].resource";
    String hba1c = "$.entry[3].resource";
    String dispense = "$.entry[15].resource";
    return Stream.of(
        // The JSON text itself.
        bad("unterminated string", text("{\"resourceType\": \"Patient\", \"id\": \"p1}"),
            "$", "Unexpected end-of-input in VALUE_STRING"),
        bad("missing comma", text("{\"resourceType\": \"Patient\"\n \"id\": \"p1\"}"),
            "$", "was expecting comma to separate Object entries at line 2"),
        bad("a second object after the root object", base -> base + " {}",
            "$", "Trailing token"),
        bad("a stray token after the root object", base -> base + " x",
            "$", "Unrecognized token 'x'"),
        bad("a duplicate key", replace("\"id\": \"p1\",", "\"id\": \"p1\", \"id\": \"p2\","),
            "$", "Duplicate field 'id'"),
        bad("empty input", text(""), "$", "expected a JSON object (a FHIR resource), got MISSING"),
        bad("only whitespace", text(" \n\t "), "$", "got MISSING"),
        bad("an array as root", text("[" + "{\"resourceType\": \"Patient\", \"id\": \"p1\"}]"),
            "$", "got ARRAY"),
        bad("null as root", text("null"), "$", "got NULL"),
        bad("a string as root", text("\"Patient\""), "$", "got STRING"),

        // Bundle structure.
        bad("root without resourceType", removeAt("/resourceType"),
            "$.resourceType", "a resource needs a resourceType string"),
        bad("resourceType not a string", setAt("/entry/1/resource/resourceType", "7"),
            condition + ".resourceType", "a resource needs a resourceType string"),
        bad("resourceType blank", setAt("/entry/1/resource/resourceType", "\" \""),
            condition + ".resourceType", "a resource needs a resourceType string"),
        bad("entry not an array", setAt("/entry", "{}"), "$.entry", "expected an array"),
        bad("entry null", setAt("/entry", "null"), "$.entry", "expected an array"),
        bad("entry item not an object", setAt("/entry/1", "\"Condition/c1\""),
            "$.entry[1]", "expected an object"),
        bad("resource not an object", setAt("/entry/1/resource", "[]"),
            condition, "expected an object"),
        bad("fullUrl not a string", setAt("/entry/0/fullUrl", "{}"),
            "$.entry[0].fullUrl", "expected a string"),
        bad("missing id", removeAt("/entry/2/resource/id"),
            bloodPressure + ".id", "a non-empty string is required"),
        bad("id not a string", setAt("/entry/2/resource/id", "2"),
            bloodPressure + ".id", "expected a string, got NUMBER"),
        bad("id of a Medication missing", removeAt("/entry/4/resource/id"),
            "$.entry[4].resource.id", "a non-empty string is required"),
        bad("two Observations with one id", setAt("/entry/3/resource/id", "\"o1\""),
            hba1c, "a second Observation with the reference 'Observation/o1'"),
        bad("two resources with one fullUrl",
            setAt("/entry/1", "{\"fullUrl\": \"urn:uuid:6b0c3f0e-0000-4000-8000-000000000001\", "
                + "\"resource\": {\"resourceType\": \"Patient\", \"id\": \"p2\"}}"),
            "$.entry[1].resource",
            "a second Patient with the reference 'urn:uuid:6b0c3f0e-0000-4000-8000-000000000001'"),

        // Codes and statuses.
        bad("unknown Observation status", setAt("/entry/2/resource/status", "\"finished\""),
            bloodPressure + ".status", "unknown ObservationStatus 'finished'"),
        bad("status a number", setAt("/entry/7/resource/status", "1"),
            "$.entry[7].resource.status", "expected a string, got NUMBER"),
        bad("status missing", removeAt("/entry/11/resource/status"),
            "$.entry[11].resource.status", "a non-empty string is required"),
        bad("intent missing on MedicationRequest", removeAt("/entry/5/resource/intent"),
            "$.entry[5].resource.intent", "a non-empty string is required"),
        bad("unknown intent", setAt("/entry/12/resource/intent", "\"wish\""),
            "$.entry[12].resource.intent", "unknown RequestIntent 'wish'"),
        bad("unknown gender", setAt("/entry/0/resource/gender", "\"f\""),
            "$.entry[0].resource.gender", "unknown AdministrativeGender 'f'"),
        bad("unknown clinicalStatus code",
            setAt("/entry/1/resource/clinicalStatus/coding/0/code", "\"gone\""),
            condition + ".clinicalStatus", "unknown ConditionClinicalStatus 'gone'"),
        bad("code.coding not an array", setAt("/entry/1/resource/code/coding", "{}"),
            condition + ".code.coding", "expected an array, got OBJECT"),
        bad("coding item not an object", setAt("/entry/1/resource/code/coding/0", "\"44054006\""),
            condition + ".code.coding[0]", "expected an object"),
        bad("coding code not a string", setAt("/entry/1/resource/code/coding/0/code", "44054006"),
            condition + ".code.coding[0].code", "expected a string, got NUMBER"),
        bad("Encounter type not an array", setAt("/entry/9/resource/type", "{}"),
            "$.entry[9].resource.type", "expected an array"),
        bad("Encounter class not an object", setAt("/entry/9/resource/class", "\"AMB\""),
            "$.entry[9].resource.class", "expected an object, got STRING"),

        // Dates and times.
        bad("impossible day", setAt("/entry/2/resource/effectiveDateTime", "\"2023-02-30\""),
            bloodPressure + ".effectiveDateTime", "2023-02-30"),
        bad("month 13", setAt("/entry/2/resource/effectiveDateTime", "\"2023-13-01\""),
            bloodPressure + ".effectiveDateTime", "2023-13-01"),
        bad("time of day without offset",
            setAt("/entry/2/resource/effectiveDateTime", "\"2023-05-01T10:00:00\""),
            bloodPressure + ".effectiveDateTime", "with an offset"),
        bad("date with slashes", setAt("/entry/8/resource/occurrenceDateTime", "\"10/20/2023\""),
            "$.entry[8].resource.occurrenceDateTime", "10/20/2023"),
        bad("impossible birthDate", setAt("/entry/0/resource/birthDate", "\"1961-02-29\""),
            "$.entry[0].resource.birthDate", "1961-02-29"),
        bad("date a number", setAt("/entry/1/resource/onsetDateTime", "20150901"),
            condition + ".onsetDateTime", "expected a string, got NUMBER"),
        bad("effectivePeriod ends before it starts",
            setAt("/entry/3/resource/effectivePeriod", "{\"start\": \"2024-02-03\", "
                + "\"end\": \"2024-02-01\"}"),
            hba1c + ".effectivePeriod", "ends (2024-02-01) before it starts (2024-02-03)"),
        bad("effectivePeriod start impossible",
            setAt("/entry/3/resource/effectivePeriod/start", "\"2024-02-30\""),
            hba1c + ".effectivePeriod.start", "2024-02-30"),
        bad("Encounter period ends before it starts",
            setAt("/entry/9/resource/period/end", "\"2024-03-03\""),
            "$.entry[9].resource.period", "before it starts"),

        // Values.
        bad("valueQuantity.value a string", setAt("/entry/3/resource/valueQuantity/value", "\"8.2\""),
            hba1c + ".valueQuantity.value", "expected a number, got \"8.2\""),
        bad("valueQuantity not an object", setAt("/entry/3/resource/valueQuantity", "8.2"),
            hba1c + ".valueQuantity", "expected an object, got NUMBER"),
        bad("valueInteger 1.5", setAt("/entry/13/resource/valueInteger", "1.5"),
            "$.entry[13].resource.valueInteger", "expected an integer, got 1.5"),
        bad("valueInteger a string", setAt("/entry/13/resource/valueInteger", "\"3\""),
            "$.entry[13].resource.valueInteger", "expected an integer"),
        bad("valueBoolean \"yes\"", setAt("/entry/14/resource/valueBoolean", "\"yes\""),
            "$.entry[14].resource.valueBoolean", "expected true or false, got \"yes\""),
        bad("doNotPerform a string", setAt("/entry/11/resource/doNotPerform", "\"true\""),
            "$.entry[11].resource.doNotPerform", "expected true or false"),
        bad("component without code", removeAt("/entry/2/resource/component/1/code"),
            bloodPressure + ".component[1].code", "a component needs a coded code"),
        bad("component code without codings",
            setAt("/entry/2/resource/component/0/code", "{\"text\": \"systolic\"}"),
            bloodPressure + ".component[0].code", "a component needs a coded code"),
        bad("component not an array", setAt("/entry/2/resource/component", "{}"),
            bloodPressure + ".component", "expected an array"),
        bad("modifier extension without url", removeAt("/entry/12/resource/modifierExtension/0/url"),
            "$.entry[12].resource.modifierExtension[0].url", "a non-empty string is required"),
        bad("doNotPerform extension valueBoolean a string",
            setAt("/entry/12/resource/modifierExtension/0/valueBoolean", "\"yes\""),
            "$.entry[12].resource.modifierExtension[0].valueBoolean", "expected true or false"),

        // References.
        bad("subject missing", removeAt("/entry/1/resource/subject"),
            condition + ".subject", "is required"),
        bad("subject not an object", setAt("/entry/1/resource/subject", "\"Patient/p1\""),
            condition + ".subject", "expected an object, got STRING"),
        bad("subject reference missing", setAt("/entry/1/resource/subject", "{\"display\": \"Ann\"}"),
            condition + ".subject.reference", "a non-empty string is required"),
        bad("subject reference resolving nowhere",
            setAt("/entry/1/resource/subject/reference", "\"Patient/nobody\""),
            condition + ".subject.reference", "reference 'Patient/nobody' resolves to no Patient"),
        bad("subject URL resolving nowhere",
            setAt("/entry/1/resource/subject/reference", "\"http://example.org/fhir/Patient/p9\""),
            condition + ".subject.reference", "resolves to no Patient in the input"),
        bad("subject naming a resource that is not a Patient",
            setAt("/entry/1/resource/subject/reference", "\"Observation/o1\""),
            condition + ".subject.reference", "'Observation/o1' resolves to no Patient"),
        bad("Immunization without patient", removeAt("/entry/8/resource/patient"),
            "$.entry[8].resource.patient", "is required"),
        bad("medicationReference to a missing contained resource",
            setAt("/entry/6/resource/medicationReference/reference", "\"#m2\""),
            "$.entry[6].resource.medicationReference.reference",
            "reference '#m2' resolves to no contained Medication"),
        bad("medicationReference resolving nowhere",
            setAt("/entry/5/resource/medicationReference/reference", "\"Medication/none\""),
            "$.entry[5].resource.medicationReference.reference",
            "reference 'Medication/none' resolves to no Medication"),
        bad("medicationReference to a Patient",
            setAt("/entry/5/resource/medicationReference/reference", "\"Patient/p1\""),
            "$.entry[5].resource.medicationReference.reference", "resolves to no Medication"),
        bad("contained not an array", setAt("/entry/6/resource/contained", "{}"),
            "$.entry[6].resource.contained", "expected an array"),
        bad("referenced Medication with a code that is not an object",
            setAt("/entry/4/resource/code", "\"860975\""),
            "$.entry[4].resource.code", "expected an object, got STRING"),

        // A medication dispense.
        bad("dispense status missing", removeAt("/entry/15/resource/status"),
            dispense + ".status", "a non-empty string is required"),
        bad("dispense status of an order", setAt("/entry/15/resource/status", "\"active\""),
            dispense + ".status", "unknown MedicationDispenseStatus 'active'"),
        bad("dispense without subject", removeAt("/entry/15/resource/subject"),
            dispense + ".subject", "is required"),
        bad("dispense medicationReference resolving nowhere",
            setAt("/entry/15/resource/medicationReference/reference", "\"Medication/none\""),
            dispense + ".medicationReference.reference",
            "reference 'Medication/none' resolves to no Medication"),
        bad("dispense handed over on an impossible day",
            setAt("/entry/15/resource/whenHandedOver", "\"2015-09-31\""),
            dispense + ".whenHandedOver", "2015-09-31"),
        bad("dispense handed over at a time without offset",
            setAt("/entry/15/resource/whenHandedOver", "\"2015-09-04T10:00:00\""),
            dispense + ".whenHandedOver", "with an offset"),
        bad("dispense prepared a number", setAt("/entry/15/resource/whenPrepared", "20150903"),
            dispense + ".whenPrepared", "expected a string, got NUMBER"),
        bad("dispense handed over before it was prepared",
            setAt("/entry/15/resource/whenHandedOver", "\"2015-09-01\""),
            dispense + ".whenHandedOver", "before it was prepared (2015-09-03T14:00:00Z)"),
        bad("dispense handed over an instant before it was prepared",
            setAt("/entry/15/resource/whenHandedOver", "\"2015-09-03T09:59:59-04:00\""),
            dispense + ".whenHandedOver", "mdd-1"),
        bad("dispense quantity value a string",
            setAt("/entry/15/resource/quantity/value", "\"60\""),
            dispense + ".quantity.value", "expected a number, got \"60\""),
        bad("dispense daysSupply not an object", setAt("/entry/15/resource/daysSupply", "30"),
            dispense + ".daysSupply", "expected an object, got NUMBER"),
        bad("dispense category an array (R5), not a CodeableConcept (R4)",
            setAt("/entry/15/resource/category", "[{\"text\": \"community\"}]"),
            dispense + ".category", "expected an object, got ARRAY"),
        bad("dispense authorizingPrescription not an array",
            setAt("/entry/15/resource/authorizingPrescription",
                "{\"reference\": \"MedicationRequest/mr1\"}"),
            dispense + ".authorizingPrescription", "expected an array, got OBJECT"),
        bad("dispense authorizingPrescription item a string",
            setAt("/entry/15/resource/authorizingPrescription/0", "\"MedicationRequest/mr1\""),
            dispense + ".authorizingPrescription[0]", "expected an object"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void isRefusedWithItsPath(String name, UnaryOperator<String> fault, String path,
      String fragment) {
    String json = fault.apply(BASE);
    assertThat(json).as("the fault must change the input").isNotEqualTo(BASE);

    assertThatThrownBy(() -> FhirInputs.read(json))
        .isInstanceOf(InvalidDataException.class)
        .isInstanceOf(CdsException.class)
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> {
          assertThat(e.source()).isEqualTo(FhirInputs.SOURCE);
          assertThat(e.path()).isEqualTo(path);
          assertThat(e.getMessage())
              .startsWith(FhirInputs.SOURCE + ": " + path + ": ")
              .contains(fragment);
        });
  }

  /**
   * The bad inputs other than a subject reference's target, which {@link
   * FhirReader#onePatientPerInput()} may re-point to the input's only patient.
   */
  static Stream<Arguments> badInputsOtherThanSubjectReferences() {
    return badInputs().filter(a -> !((String) a.get()[2]).endsWith(".subject.reference"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputsOtherThanSubjectReferences")
  void isRefusedAlsoWhenReadAsOneTestCase(String name, UnaryOperator<String> fault, String path,
      String fragment) {
    String json = fault.apply(BASE);

    assertThatThrownBy(() -> FhirInputs.read(FhirReader.create().onePatientPerInput(), json))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> {
          assertThat(e.path()).isEqualTo(path);
          assertThat(e.getMessage()).contains(fragment);
        });
  }

  @Test
  void theBaseBundleIsValid() {
    assertThat(FhirInputs.read(BASE).warnings()).isEmpty();
  }

  @Test
  void malformedJsonNamesTheLine() {
    String json = BASE.replaceFirst("\"status\": \"final\"", "\"status\": final");

    assertThatThrownBy(() -> FhirInputs.read(json))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> {
          assertThat(e.path()).isEqualTo("$");
          assertThat(e.getMessage()).contains("Unrecognized token 'final'")
              .contains("at line 36, column");
        });
  }

  @Test
  void aFaultInTheSecondFileNamesThatFile(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("patient.json");
    Path bad = dir.resolve("observation.json");
    Files.writeString(good, "{\"resourceType\": \"Patient\", \"id\": \"p1\"}");
    Files.writeString(bad, "{\"resourceType\": \"Observation\", \"id\": \"o1\", \"status\": ");

    assertThatThrownBy(() -> FhirReader.create().read(List.of(good, bad)))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> {
          assertThat(e.source()).isEqualTo(bad.toString());
          assertThat(e.path()).isEqualTo("$");
          assertThat(e.getMessage()).contains("not valid JSON");
        });
  }

  @Test
  void aMissingFileIsInvalidData(@TempDir Path dir) {
    Path missing = dir.resolve("absent.json");

    assertThatThrownBy(() -> FhirReader.create().read(missing))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> {
          assertThat(e.source()).isEqualTo(missing.toString());
          assertThat(e.path()).isEqualTo("$");
          assertThat(e.getMessage()).contains("cannot read");
        });
  }
}
