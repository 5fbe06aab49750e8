package io.github.cdsengine.core;

import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static io.github.cdsengine.core.testing.TestRules.supporting;
import static io.github.cdsengine.core.testing.Facts.condition;
import static io.github.cdsengine.core.testing.Facts.patient;
import static io.github.cdsengine.core.testing.Facts.procedure;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.PatientRecord;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.testing.TestRules;

/** Many threads sharing one engine get exactly the results one thread gets. */
class EngineConcurrencyTest {

  static final EvaluationContext CONTEXT =
      EvaluationContext.on(LocalDate.of(2025, 1, 1), ZoneOffset.UTC);

  static List<PatientRecord> patients(int count) {
    Random random = new Random(42);
    List<PatientRecord> patients = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      PatientRecord.Builder record = PatientRecord.builder(
          patient("p" + i, LocalDate.of(1930 + random.nextInt(90), 1 + random.nextInt(12), 1)));
      for (int j = random.nextInt(4); j > 0; j--) {
        record.add(procedure("proc-" + j, Code.of(SNOMED_CT, "73761001"),
            LocalDate.of(2000 + random.nextInt(25), 1 + random.nextInt(12), 1)));
      }
      if (random.nextInt(5) == 0) {
        record.add(condition("cond-1", Code.of(SNOMED_CT, "91936005")));
      }
      patients.add(record.build());
    }
    return patients;
  }

  static EvaluationResult withoutTiming(EvaluationResult result) {
    return new EvaluationResult(result.patientId(), result.instant(), result.recommendations(),
        result.withheld(), result.measures(), result.warnings(), result.failures(),
        Duration.ZERO, result.ruleSet());
  }

  @Test
  void eightThreadsGiveTheSameResultsAsOne() throws Exception {
    String colonoscopy = "valueSets.includes(\"test-colonoscopy\", code)";
    try (CdsEngine engine = CdsEngine.builder().addValueSet(TestRules.COLONOSCOPY)
        .addRules(file("concurrent.drl",
            recommending("Over 50 without colonoscopy", "screen", "USPSTF:A", "screening",
                "warning", "    $n : Now()\n    PatientAge(years >= 50)\n"
                    + "    not Procedure(" + colonoscopy + ", $n.withinYears(performed, 10))", "due"),
            recommending("Colonoscopy on record", "recorded", "USPSTF:B", "screening", "info",
                "    Procedure(" + colonoscopy + ")", "on record"),
            recommending("Older adult", "older", "GRADE:conditional", "acute-alert", "critical",
                "    PatientAge(years >= 80)", "older"),
            supporting("Condition suppresses", "    Condition()",
                "    insert(new Suppression(\"screen\", \"condition\"));")))
        .build()) {
      List<PatientRecord> patients = patients(400);
      List<EvaluationResult> expected = new ArrayList<>();
      for (PatientRecord patient : patients) {
        expected.add(withoutTiming(engine.evaluate(patient, CONTEXT)));
      }
      assertThat(expected).anySatisfy(r -> assertThat(r.recommendations()).hasSize(2));
      assertThat(expected).anySatisfy(r -> assertThat(r.withheld()).isNotEmpty());

      ExecutorService threads = Executors.newFixedThreadPool(8);
      try {
        List<Future<List<EvaluationResult>>> runs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int offset = t * 50;
          runs.add(threads.submit(() -> {
            List<EvaluationResult> results = new ArrayList<>();
            for (int i = 0; i < patients.size(); i++) {
              int index = (i + offset) % patients.size();
              results.add(withoutTiming(engine.evaluate(patients.get(index), CONTEXT)));
            }
            return results;
          }));
        }
        for (int t = 0; t < runs.size(); t++) {
          List<EvaluationResult> results = runs.get(t).get();
          for (int i = 0; i < results.size(); i++) {
            int index = (i + t * 50) % patients.size();
            assertThat(results.get(i)).isEqualTo(expected.get(index));
          }
        }
      } finally {
        threads.shutdownNow();
      }
    }
  }
}
