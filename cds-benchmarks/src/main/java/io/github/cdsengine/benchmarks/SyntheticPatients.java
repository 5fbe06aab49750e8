package io.github.cdsengine.benchmarks;

import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.EncounterStatus;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.Immunization;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.model.VerificationStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates synthetic adult patient records of about 200 facts each, the same records for the
 * same seed and clinic day; never reads the system clock.
 *
 * <p>Each record holds a primary-care history of about ten years: visits with vital signs, lab
 * panels, problems, procedures, vaccines and prescriptions. Colorectal screening history is drawn
 * independently so that every branch of the shipped colorectal pack is met: colonoscopies, FIT,
 * stool DNA-FIT, CT colonography and sigmoidoscopy at various times, some exactly on a lookback
 * edge, some not completed or not final; colorectal cancer, high-risk conditions and total
 * colectomy, some refuted or entered in error; ages 18 to 95, some on an age-band birthday.
 */
public final class SyntheticPatients {

  private static final String SNOMED = "http://snomed.info/sct";
  private static final String LOINC = "http://loinc.org";
  private static final String CPT = "http://www.ama-assn.org/go/cpt";
  private static final String CVX = "http://hl7.org/fhir/sid/cvx";
  private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

  /** A numeric test: LOINC code, UCUM unit, and a plausible adult distribution. */
  private record Measurement(String loinc, String display, String unit, double mean, double sd,
      int scale) {}

  private static final List<Measurement> VITAL_SIGNS = List.of(
      new Measurement("8480-6", "Systolic blood pressure", "mm[Hg]", 128, 15, 0),
      new Measurement("8462-4", "Diastolic blood pressure", "mm[Hg]", 80, 10, 0),
      new Measurement("8867-4", "Heart rate", "/min", 74, 10, 0),
      new Measurement("29463-7", "Body weight", "kg", 80, 15, 1));
  private static final List<Measurement> OCCASIONAL_VITAL_SIGNS = List.of(
      new Measurement("8302-2", "Body height", "cm", 170, 10, 0),
      new Measurement("39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", 27, 5, 1),
      new Measurement("8310-5", "Body temperature", "Cel", 36.8, 0.3, 1));
  private static final List<List<Measurement>> LAB_PANELS = List.of(
      List.of(new Measurement("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL", 190, 35, 0),
          new Measurement("18262-6", "Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay", "mg/dL", 110, 30, 0),
          new Measurement("2085-9", "Cholesterol in HDL [Mass/volume] in Serum or Plasma", "mg/dL", 50, 12, 0),
          new Measurement("2571-8", "Triglyceride [Mass/volume] in Serum or Plasma", "mg/dL", 140, 50, 0)),
      List.of(new Measurement("2345-7", "Glucose [Mass/volume] in Serum or Plasma", "mg/dL", 100, 20, 0),
          new Measurement("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", 0.95, 0.25, 2),
          new Measurement("33914-3", "Glomerular filtration rate/1.73 sq M.predicted", "mL/min/{1.73_m2}", 85, 20, 0)),
      List.of(new Measurement("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", 5.8, 0.9, 1)),
      List.of(new Measurement("718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", 13.5, 1.5, 1),
          new Measurement("6690-2", "Leukocytes [#/volume] in Blood by Automated count", "10*3/uL", 7, 2, 1)));

  private static final List<Code> PROBLEMS = List.of(
      new Code(SNOMED, "38341003", "Hypertensive disorder, systemic arterial (disorder)"),
      new Code(SNOMED, "44054006", "Diabetes mellitus type 2 (disorder)"),
      new Code(SNOMED, "55822004", "Hyperlipidemia (disorder)"),
      new Code(SNOMED, "195967001", "Asthma (disorder)"),
      new Code(SNOMED, "396275006", "Osteoarthritis (disorder)"),
      new Code(SNOMED, "235595009", "Gastroesophageal reflux disease (disorder)"),
      new Code(SNOMED, "35489007", "Depressive disorder (disorder)"),
      new Code(SNOMED, "709044004", "Chronic kidney disease (disorder)"),
      new Code(SNOMED, "13645005", "Chronic obstructive lung disease (disorder)"),
      new Code(SNOMED, "49436004", "Atrial fibrillation (disorder)"),
      new Code(SNOMED, "444814009", "Viral sinusitis (disorder)"),
      new Code(SNOMED, "68566005", "Urinary tract infectious disease (disorder)"));
  private static final List<Code> PROCEDURES = List.of(
      new Code(SNOMED, "29303009", "Electrocardiographic procedure"),
      new Code(SNOMED, "399208008", "Plain chest X-ray"),
      new Code(SNOMED, "430193006", "Medication reconciliation"),
      new Code(SNOMED, "171207006", "Depression screening"),
      new Code(SNOMED, "710824005", "Assessment of health and social care needs"),
      new Code(SNOMED, "71651007", "Mammography"),
      new Code(SNOMED, "117015009", "Throat culture"));
  private static final List<Code> VACCINES = List.of(
      new Code(CVX, "140", "Influenza, seasonal, injectable, preservative free"),
      new Code(CVX, "150", "Influenza, injectable, quadrivalent, preservative free"),
      new Code(CVX, "208", "COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose"),
      new Code(CVX, "115", "Tdap"),
      new Code(CVX, "113", "Td (adult), 5 Lf tetanus toxoid, preservative free"),
      new Code(CVX, "33", "Pneumococcal polysaccharide PPV23"),
      new Code(CVX, "133", "Pneumococcal conjugate PCV 13"),
      new Code(CVX, "187", "Zoster vaccine recombinant"));
  private static final List<Code> MEDICATIONS = List.of(
      new Code(RXNORM, "314076", "lisinopril 10 MG Oral Tablet"),
      new Code(RXNORM, "197361", "amlodipine 5 MG Oral Tablet"),
      new Code(RXNORM, "310798", "hydrochlorothiazide 25 MG Oral Tablet"),
      new Code(RXNORM, "617310", "atorvastatin 20 MG Oral Tablet"),
      new Code(RXNORM, "860975", "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet"),
      new Code(RXNORM, "313782", "acetaminophen 325 MG Oral Tablet"),
      new Code(RXNORM, "310965", "ibuprofen 200 MG Oral Tablet"),
      new Code(RXNORM, "308182", "amoxicillin 250 MG Oral Capsule"));

  private static final Code COLONOSCOPY = new Code(SNOMED, "73761001", "Colonoscopy");
  private static final Code COLONOSCOPY_CPT = new Code(CPT, "45378", "Colonoscopy, flexible; diagnostic");
  private static final Code FIT = new Code(LOINC, "29771-3",
      "Hemoglobin.gastrointestinal.lower [Presence] in Stool by Immunoassay");
  private static final Code STOOL_DNA_FIT = new Code(LOINC, "77354-9",
      "Noninvasive colorectal cancer DNA and occult blood screening [Presence] in Stool");
  private static final Code CT_COLONOGRAPHY = new Code(LOINC, "79101-2",
      "CT Colon and Rectum for screening W air contrast PR");
  private static final Code FLEXIBLE_SIGMOIDOSCOPY = new Code(SNOMED, "44441009",
      "Flexible fiberoptic sigmoidoscopy");
  private static final Code TOTAL_COLECTOMY = new Code(SNOMED, "26390003", "Total colectomy");
  private static final List<Code> COLORECTAL_CANCER = List.of(
      new Code(SNOMED, "363406005", "Malignant neoplasm of colon"),
      new Code(SNOMED, "429699009", "History of malignant neoplasm of colon"));
  private static final List<Code> HIGH_RISK_CONDITIONS = List.of(
      new Code(SNOMED, "34000006", "Crohn's disease"),
      new Code(SNOMED, "64766004", "Ulcerative colitis"),
      new Code(SNOMED, "315058005", "Hereditary nonpolyposis colon cancer"));
  private static final CodeableConcept POSITIVE = CodeableConcept.of(new Code(SNOMED, "10828004", "Positive"));
  private static final CodeableConcept NEGATIVE = CodeableConcept.of(new Code(SNOMED, "260385009", "Negative"));
  /**
   * FIT values: negative or positive as often as each other, sometimes a local code the pack
   * cannot read (screening done, reported) or a specimen the laboratory rejected (no screening).
   */
  private static final List<CodeableConcept> FIT_RESULTS = List.of(NEGATIVE, POSITIVE, NEGATIVE,
      POSITIVE, NEGATIVE, POSITIVE,
      CodeableConcept.of(Code.of("http://lab.example.org/fit-result", "R7")),
      new CodeableConcept(List.of(), "Specimen rejected"));
  private static final Code AMBULATORY = new Code(ACT_CODE, "AMB", "ambulatory");
  private static final Code EMERGENCY = new Code(ACT_CODE, "EMER", "emergency");
  private static final Code INPATIENT = new Code(ACT_CODE, "IMP", "inpatient encounter");
  private static final CodeableConcept CHECK_UP = CodeableConcept.of(new Code(SNOMED, "185349003", "Encounter for check up"));
  private static final CodeableConcept FOLLOW_UP = CodeableConcept.of(new Code(SNOMED, "390906007", "Follow-up encounter"));
  private static final CodeableConcept EMERGENCY_VISIT = CodeableConcept.of(new Code(SNOMED, "50849002", "Emergency room admission"));
  private static final CodeableConcept HOSPITAL_ADMISSION = CodeableConcept.of(new Code(SNOMED, "32485007", "Hospital admission"));

  private final Random random;
  private final LocalDate today;
  private int nextId;

  private SyntheticPatients(long seed, LocalDate today) {
    this.random = new Random(seed);
    this.today = today;
  }

  /**
   * Generates {@code count} patient records whose histories end on {@code today}.
   *
   * @throws IllegalArgumentException if {@code count} is negative
   */
  public static List<PatientRecord> generate(int count, long seed, LocalDate today) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
    SyntheticPatients generator = new SyntheticPatients(seed, today);
    List<PatientRecord> records = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      records.add(generator.patient(String.format("pat-%05d", i)));
    }
    return List.copyOf(records);
  }

  private PatientRecord patient(String id) {
    PatientRecord.Builder record = PatientRecord.builder(
        new Patient(id, birthDate(), chance(0.02) ? AdministrativeGender.UNKNOWN
            : random.nextBoolean() ? AdministrativeGender.FEMALE : AdministrativeGender.MALE));
    int visits = between(23, 32);
    for (int i = 0; i < visits; i++) {
      visit(record);
    }
    int labDraws = between(4, 8);
    for (int i = 0; i < labDraws; i++) {
      ClinicalTime drawn = instant(daysAgo(between(0, 3650)));
      for (Measurement test : pick(LAB_PANELS)) {
        record.add(measured(test, drawn));
      }
    }
    for (int i = between(5, 11); i > 0; i--) {
      record.add(condition(pick(PROBLEMS), chance(0.02) ? VerificationStatus.REFUTED
          : VerificationStatus.CONFIRMED));
    }
    for (int i = between(7, 13); i > 0; i--) {
      record.add(new Procedure("proc-" + ++nextId, chance(0.05) ? EventStatus.NOT_DONE
          : EventStatus.COMPLETED, CodeableConcept.of(pick(PROCEDURES)),
          Period.at(date(daysAgo(between(0, 3650))))));
    }
    for (int i = between(7, 13); i > 0; i--) {
      record.add(new Immunization("imm-" + ++nextId, chance(0.05) ? EventStatus.NOT_DONE
          : EventStatus.COMPLETED, CodeableConcept.of(pick(VACCINES)),
          date(daysAgo(between(0, 3650)))));
    }
    for (int i = between(12, 20); i > 0; i--) {
      RequestStatus status = pick(List.of(RequestStatus.ACTIVE, RequestStatus.ACTIVE,
          RequestStatus.COMPLETED, RequestStatus.COMPLETED, RequestStatus.STOPPED,
          RequestStatus.ENTERED_IN_ERROR));
      record.add(new MedicationRequest("med-" + ++nextId, status, RequestIntent.ORDER,
          CodeableConcept.of(pick(MEDICATIONS)), date(daysAgo(between(0, 3650)))));
    }
    colorectalHistory(record);
    return record.build();
  }

  /** Ages 18 to 95; one in ten on an age-band birthday (45, 50, 76, 86) or the day before it. */
  private LocalDate birthDate() {
    if (chance(0.01)) {
      return null;
    }
    if (chance(0.10)) {
      LocalDate birthday = today.minusYears(pick(List.of(45, 50, 76, 86)));
      return random.nextBoolean() ? birthday : birthday.plusDays(1);
    }
    return today.minusYears(between(18, 95)).minusDays(between(0, 364));
  }

  private void visit(PatientRecord.Builder record) {
    LocalDate day = daysAgo(between(0, 3650));
    double kind = random.nextDouble();
    if (kind < 0.05) {
      record.add(new Encounter("enc-" + ++nextId, EncounterStatus.FINISHED, INPATIENT,
          HOSPITAL_ADMISSION, new Period(date(day), date(day.plusDays(between(1, 7)))), null));
      return;
    }
    ClinicalTime start = instant(day);
    record.add(new Encounter("enc-" + ++nextId, EncounterStatus.FINISHED,
        kind < 0.10 ? EMERGENCY : AMBULATORY,
        kind < 0.10 ? EMERGENCY_VISIT : random.nextBoolean() ? CHECK_UP : FOLLOW_UP,
        new Period(start, ClinicalTime.of(start.instant().plusSeconds(60L * between(15, 90)))),
        null));
    for (Measurement vital : VITAL_SIGNS) {
      record.add(measured(vital, start));
    }
    if (chance(0.3)) {
      record.add(measured(pick(OCCASIONAL_VITAL_SIGNS), start));
    }
  }

  /** Screening tests, colorectal cancer, high-risk conditions and colectomy, drawn independently. */
  private void colorectalHistory(PatientRecord.Builder record) {
    if (chance(0.30)) {
      record.add(new Procedure("proc-" + ++nextId,
          chance(0.10) ? EventStatus.NOT_DONE : EventStatus.COMPLETED,
          CodeableConcept.of(chance(0.2) ? COLONOSCOPY_CPT : COLONOSCOPY),
          Period.at(anyPrecision(nearLookbackEdge(between(0, 15))))));
    }
    if (chance(0.25)) {
      for (int i = between(1, 3); i > 0; i--) {
        LocalDate day = chance(0.3) ? nearLookbackEdge(1) : daysAgo(between(20, 900));
        record.add(screeningResult(FIT, day, pick(FIT_RESULTS)));
      }
    }
    if (chance(0.05)) {
      record.add(screeningResult(STOOL_DNA_FIT, nearLookbackEdge(between(1, 5)), NEGATIVE));
    }
    if (chance(0.04)) {
      record.add(screeningResult(CT_COLONOGRAPHY, nearLookbackEdge(between(1, 8)), null));
    }
    if (chance(0.04)) {
      record.add(new Procedure("proc-" + ++nextId, EventStatus.COMPLETED,
          CodeableConcept.of(FLEXIBLE_SIGMOIDOSCOPY),
          Period.at(anyPrecision(nearLookbackEdge(between(1, 8))))));
    }
    if (chance(0.04)) {
      record.add(condition(pick(COLORECTAL_CANCER), uncertainVerification()));
    }
    if (chance(0.04)) {
      record.add(condition(pick(HIGH_RISK_CONDITIONS), uncertainVerification()));
    }
    if (chance(0.02)) {
      record.add(new Procedure("proc-" + ++nextId,
          chance(0.15) ? EventStatus.ENTERED_IN_ERROR : EventStatus.COMPLETED,
          CodeableConcept.of(TOTAL_COLECTOMY), Period.at(date(daysAgo(between(100, 7000))))));
    }
  }

  /** A day about {@code years} ago: often exactly on the anniversary or a day either side. */
  private LocalDate nearLookbackEdge(int years) {
    LocalDate anniversary = today.minusYears(years);
    double where = random.nextDouble();
    if (where < 0.15) {
      return anniversary;
    }
    if (where < 0.25) {
      return anniversary.plusDays(1);
    }
    if (where < 0.35) {
      return anniversary.minusDays(1);
    }
    return anniversary.plusDays(between(-180, 180));
  }

  /** A final result most of the time; otherwise preliminary, cancelled or entered in error. */
  private Observation screeningResult(Code test, LocalDate day, CodeableConcept value) {
    ObservationStatus status = chance(0.85) ? ObservationStatus.FINAL : pick(List.of(
        ObservationStatus.PRELIMINARY, ObservationStatus.CANCELLED,
        ObservationStatus.ENTERED_IN_ERROR, ObservationStatus.AMENDED));
    return Observation.builder("obs-" + ++nextId, status, CodeableConcept.of(test))
        .effective(Period.at(anyPrecision(day))).valueConcept(value).build();
  }

  private Observation measured(Measurement test, ClinicalTime when) {
    double value = Math.max(test.mean() + test.sd() * random.nextGaussian(), test.sd() / 10);
    ObservationStatus status = chance(0.01) ? ObservationStatus.ENTERED_IN_ERROR
        : chance(0.02) ? ObservationStatus.AMENDED : ObservationStatus.FINAL;
    return Observation.builder("obs-" + ++nextId, status,
            CodeableConcept.of(new Code(LOINC, test.loinc(), test.display())))
        .effective(Period.at(when))
        .valueQuantity(new Quantity(
            BigDecimal.valueOf(value).setScale(test.scale(), RoundingMode.HALF_UP), test.unit()))
        .build();
  }

  private Condition condition(Code code, VerificationStatus verification) {
    LocalDate onset = daysAgo(between(30, 7000));
    boolean resolved = chance(0.2);
    return Condition.builder("cond-" + ++nextId, CodeableConcept.of(code))
        .clinicalStatus(resolved ? ConditionClinicalStatus.RESOLVED : ConditionClinicalStatus.ACTIVE)
        .verificationStatus(verification).onset(date(onset))
        .abatement(resolved ? date(onset.plusDays(between(10, 25))) : null)
        .recorded(date(onset)).build();
  }

  private VerificationStatus uncertainVerification() {
    double draw = random.nextDouble();
    return draw < 0.75 ? VerificationStatus.CONFIRMED
        : draw < 0.85 ? VerificationStatus.REFUTED
        : draw < 0.93 ? VerificationStatus.ENTERED_IN_ERROR
        : null;
  }

  /** A date-only time or an instant during clinic hours (UTC-5, so some fall on the next UTC day). */
  private ClinicalTime anyPrecision(LocalDate day) {
    return random.nextBoolean() ? date(day) : instant(day);
  }

  private ClinicalTime instant(LocalDate day) {
    return ClinicalTime.of(day.atTime(between(8, 20), between(0, 59))
        .atOffset(ZoneOffset.ofHours(-5)));
  }

  private static ClinicalTime date(LocalDate day) {
    return ClinicalTime.of(day);
  }

  private LocalDate daysAgo(int days) {
    return today.minusDays(days);
  }

  private int between(int min, int max) {
    return min + random.nextInt(max - min + 1);
  }

  private boolean chance(double probability) {
    return random.nextDouble() < probability;
  }

  private <T> T pick(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }
}
