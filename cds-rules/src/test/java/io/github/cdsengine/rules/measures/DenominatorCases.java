package io.github.cdsengine.rules.measures;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.model.PatientRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Three deck patients, each in its measure's denominator and not excluded, and an engine with
 * their measures (CMS130, CMS124, CMS951): tests that add one fact to a patient and read the
 * populations extend this class. Without the conformance folder the engine and the patients are
 * null and {@link MeasureDecks} skips the tests.
 */
abstract class DenominatorCases {

  static CdsEngine engine;
  /** CMS130: an adult of screening age with no screening on record. */
  static PatientRecord screeningAge;
  /** CMS124: a woman of 64 with no screening on record. */
  static PatientRecord woman64;
  /** CMS951: a diabetic adult with no kidney health evaluation on record. */
  static PatientRecord diabetic;

  @BeforeAll
  static void buildEngineAndReadPatients() {
    engine = MeasureDecks.engine("CMS130", "CMS124", "CMS951");
    screeningAge = MeasureDecks.patient("ColonCancerScreeningFHIR/"
        + "642aafde-fabb-458d-ae4d-5db7343f310c");
    woman64 = MeasureDecks.patient("CervicalCancerScreeningFHIR/"
        + "d15cf8c6-5f36-4874-83a5-d726945721c6");
    diabetic = MeasureDecks.patient("KidneyHealthEvaluationFHIR/"
        + "80cbaf27-f12e-47b7-a875-59b068294036");
  }

  @AfterAll
  static void closeEngine() {
    if (engine != null) {
      engine.close();
      engine = null;
    }
  }
}
