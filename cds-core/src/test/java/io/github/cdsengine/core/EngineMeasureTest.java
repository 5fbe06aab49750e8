package io.github.cdsengine.core;

import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static io.github.cdsengine.core.testing.TestRules.COLONOSCOPY;
import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static io.github.cdsengine.core.testing.TestRules.supporting;
import static io.github.cdsengine.core.testing.Facts.patient;
import static io.github.cdsengine.core.testing.Facts.procedure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.cdsengine.core.evaluation.MeasureDefinition.Improvement;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.rule.Population;
import io.github.cdsengine.core.terminology.ValueSet;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import io.github.cdsengine.core.problem.RuleSetException;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MeasureResult;
import io.github.cdsengine.core.evaluation.MeasureRates;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.evaluation.MeasureDefinition;

/** Population results of quality measures: declaration, hierarchy, care gaps, rates, errors. */
class EngineMeasureTest {

  private static final MeasureDefinition SCREENING = new MeasureDefinition("TEST1",
      "Test screening", "1.0.0", "https://example.org/Measure/TestScreening", 1,
      Improvement.INCREASE);
  private static final MeasureDefinition INVERSE = new MeasureDefinition("TEST2",
      "Test inverse", "1.0.0", "https://example.org/Measure/TestInverse", 2,
      Improvement.DECREASE);

  /** Everyone over 50 is in the population; a colonoscopy is the numerator. */
  private static final String POPULATIONS = supporting("Initial population",
      "    $mp : MeasurementPeriod()\n    Patient($mp.ageAtEndBetween(this, 50, 75))",
      "    insert(new PopulationCriterion(\"TEST1\", 1, Population.INITIAL_POPULATION));\n"
          + "    insert(new PopulationCriterion(\"TEST1\", 1, Population.DENOMINATOR));")
      + supporting("Numerator",
          "    $mp : MeasurementPeriod()\n"
              + "    exists Procedure(valueSets.includes(\"test-colonoscopy\", code),"
              + " $mp.endsWithin(performed))",
          "    insert(new PopulationCriterion(\"TEST1\", 1, Population.NUMERATOR));");

  private static final EvaluationContext IN_2025 = EvaluationContext
      .on(LocalDate.of(2025, 12, 31), ZoneOffset.UTC)
      .withMeasurementPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31));

  private static CdsEngine engine(String... rules) {
    return CdsEngine.builder().addValueSet(COLONOSCOPY).addMeasure(SCREENING)
        .addMeasure(INVERSE).addRules(file("measures.drl", rules)).build();
  }

  @Test
  void everyDeclaredGroupIsReportedEvenWhenNoCriterionIsMet() {
    try (CdsEngine engine = engine(POPULATIONS)) {
      EvaluationResult result = engine.evaluate(
          PatientRecord.builder(patient("p", LocalDate.of(2000, 1, 1))).build(), IN_2025);

      assertThat(result.measures()).extracting(MeasureResult::measure, MeasureResult::group)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("TEST1", 1),
              org.assertj.core.groups.Tuple.tuple("TEST2", 1),
              org.assertj.core.groups.Tuple.tuple("TEST2", 2));
      assertThat(result.measures()).allSatisfy(m -> assertThat(m.populations()).isEmpty());
      assertThat(engine.measures()).containsExactly(SCREENING, INVERSE);
    }
  }

  @Test
  void populationsFollowTheCriteriaRulesInsert() {
    try (CdsEngine engine = engine(POPULATIONS)) {
      PatientRecord screened = PatientRecord.builder(patient("p", LocalDate.of(1960, 5, 1)))
          .add(procedure("c", Code.of(SNOMED_CT, "73761001"), LocalDate.of(2025, 3, 1))).build();
      PatientRecord unscreened =
          PatientRecord.builder(patient("q", LocalDate.of(1960, 5, 1))).build();

      MeasureResult hit = engine.evaluate(screened, IN_2025).measure("TEST1", 1).orElseThrow();
      MeasureResult gap = engine.evaluate(unscreened, IN_2025).measure("TEST1", 1).orElseThrow();

      assertThat(hit.populations()).containsExactly(Population.INITIAL_POPULATION,
          Population.DENOMINATOR, Population.NUMERATOR);
      assertThat(hit.careGap()).isFalse();
      assertThat(gap.populations())
          .containsExactly(Population.INITIAL_POPULATION, Population.DENOMINATOR);
      assertThat(gap.careGap()).isTrue();
    }
  }

  @Test
  void withoutAMeasurementPeriodNoMeasureIsReported() {
    try (CdsEngine engine = engine(POPULATIONS)) {
      EvaluationResult result = engine.evaluate(
          PatientRecord.builder(patient("p", LocalDate.of(1960, 5, 1))).build(),
          EvaluationContext.on(LocalDate.of(2025, 12, 31), ZoneOffset.UTC));

      assertThat(result.measures()).isEmpty();
    }
  }

  @Test
  void aCriterionForAnUndeclaredMeasureIsAFailureOfItsRule() {
    try (CdsEngine engine = engine(supporting("Stray criterion", "    MeasurementPeriod()",
        "    insert(new PopulationCriterion(\"NOPE\", 1, Population.NUMERATOR));"))) {
      EvaluationResult result = engine.evaluate(
          PatientRecord.builder(patient("p", LocalDate.of(1960, 5, 1))).build(), IN_2025);

      assertThat(result.complete()).isFalse();
      assertThat(result.failures()).singleElement().satisfies(f -> {
        assertThat(f.rule()).isEqualTo("Stray criterion");
        assertThat(f.error()).contains("NOPE group 1", "no loaded rule pack declares");
      });
    }
  }

  @Test
  void aGroupBeyondTheDeclaredOnesIsAFailureToo() {
    try (CdsEngine engine = engine(supporting("Group three", "    MeasurementPeriod()",
        "    insert(new PopulationCriterion(\"TEST2\", 3, Population.NUMERATOR));"))) {
      EvaluationResult result = engine.evaluate(
          PatientRecord.builder(patient("p", LocalDate.of(1960, 5, 1))).build(), IN_2025);

      assertThat(result.failures()).singleElement()
          .satisfies(f -> assertThat(f.error()).contains("TEST2 group 3"));
      assertThat(result.measure("TEST2", 1).orElseThrow().populations()).isEmpty();
    }
  }

  @Test
  void twoDifferentMeasuresWithOneIdFailTheBuild() {
    MeasureDefinition clash = new MeasureDefinition("TEST1", "Other", "2", "https://x.org/M", 1,
        Improvement.INCREASE);
    assertThatExceptionOfType(RuleSetException.class)
        .isThrownBy(() -> CdsEngine.builder().addValueSet(COLONOSCOPY).addMeasure(SCREENING)
            .addMeasure(clash).addRules(file("m.drl", POPULATIONS)).build())
        .withMessageContaining("two different measures have the id 'TEST1'");
  }

  @Test
  void aNamedValueSetResolvesByItsUrl() {
    ValueSet vsac = new ValueSet("2.16.840.1.113883.3.464.1003.108.12.1020",
        "http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113883.3.464.1003.108.12.1020",
        "20240101", "Colonoscopy", Set.of(Code.of(SNOMED_CT, "73761001")));
    String rule = recommending("Named", "named", "USPSTF:A", "screening", "info",
        "    Procedure(valueSets.includes(\"Colonoscopy\", code))", "seen");
    try (CdsEngine engine = CdsEngine.builder().addValueSet(vsac)
        .bindValueSetName("Colonoscopy", vsac.url()).addRules(file("n.drl", rule)).build()) {
      EvaluationResult result = engine.evaluate(PatientRecord.builder(
          patient("p", LocalDate.of(1960, 5, 1)))
          .add(procedure("c", Code.of(SNOMED_CT, "73761001"), LocalDate.of(2025, 3, 1))).build(),
          IN_2025);

      assertThat(result.recommendation("named")).hasValueSatisfying(r ->
          assertThat(r.valueSets()).containsExactly(vsac.url() + "|20240101"));
      assertThat(engine.valueSets().all()).containsExactly(vsac);
    }
  }

  @Test
  void aNamedValueSetThatIsNotLoadedFailsTheBuildNamingItsUrl() {
    String rule = recommending("Named", "named", "USPSTF:A", "screening", "info",
        "    Procedure(valueSets.includes(\"Colonoscopy\", code))", "seen");
    assertThatExceptionOfType(RuleSetException.class)
        .isThrownBy(() -> CdsEngine.builder()
            .bindValueSetName("Colonoscopy", "http://cts.nlm.nih.gov/fhir/ValueSet/1.2.3")
            .addRules(file("n.drl", rule)).build())
        .withMessageContaining("value set 'Colonoscopy' (http://cts.nlm.nih.gov/fhir/ValueSet/1.2.3)"
            + " is not loaded");
  }

  @Test
  void oneNameBoundToTwoUrlsFailsTheBuild() {
    assertThatExceptionOfType(RuleSetException.class)
        .isThrownBy(() -> CdsEngine.builder().addValueSet(COLONOSCOPY)
            .bindValueSetName("Colonoscopy", COLONOSCOPY.url())
            .bindValueSetName("Colonoscopy", "http://example.org/other")
            .addRules(file("m.drl", POPULATIONS)).build())
        .withMessageContaining("value set name 'Colonoscopy' is bound to http://example.org/other"
            + " here and to " + COLONOSCOPY.url());
  }

  @Test
  void aSharedRuleFileOfTwoPacksIsCompiledOnce() {
    // Packs name value sets only by the names they bind; both packs bind the same one.
    RuleFile shared = file("common/shared.drl",
        POPULATIONS.replace("\"" + COLONOSCOPY.id() + "\"", "\"Colonoscopy\""));
    Map<String, String> names = Map.of("Colonoscopy", COLONOSCOPY.url());
    RulePack first = RulePack.builder("first", "1", "First").rules(List.of(shared))
        .valueSets(List.of(COLONOSCOPY)).valueSetNames(names).measures(List.of(SCREENING))
        .build();
    RulePack second = RulePack.builder("second", "1", "Second").rules(List.of(shared))
        .valueSets(List.of(COLONOSCOPY)).valueSetNames(names).measures(List.of(SCREENING))
        .build();
    assertThat(shared.content()).doesNotContain(COLONOSCOPY.id());
    try (CdsEngine engine = CdsEngine.builder().addRulePack(first).addRulePack(second).build()) {
      assertThat(engine.rules()).hasSize(2);
      assertThat(engine.measures()).containsExactly(SCREENING);
    }
  }

  @Test
  void ratesSumPatientsAndComputeThePerformanceRate() {
    try (CdsEngine engine = engine(POPULATIONS)) {
      MeasureRates rates = new MeasureRates();
      MeasureRates other = new MeasureRates();
      rates.add(engine.evaluate(PatientRecord.builder(patient("a", LocalDate.of(1960, 5, 1)))
          .add(procedure("c", Code.of(SNOMED_CT, "73761001"), LocalDate.of(2025, 3, 1))).build(),
          IN_2025));
      rates.add(engine.evaluate(
          PatientRecord.builder(patient("b", LocalDate.of(1960, 5, 1))).build(), IN_2025));
      other.add(engine.evaluate(
          PatientRecord.builder(patient("c", LocalDate.of(1960, 5, 1))).build(), IN_2025));
      other.add(engine.evaluate(
          PatientRecord.builder(patient("d", LocalDate.of(2010, 5, 1))).build(), IN_2025));
      rates.add(other);

      assertThat(rates.patients()).isEqualTo(4);
      MeasureRates.Rate test1 = rates.rates().get(0);
      assertThat(test1.measure()).isEqualTo("TEST1");
      assertThat(test1.count(Population.INITIAL_POPULATION)).isEqualTo(3);
      assertThat(test1.count(Population.NUMERATOR)).isEqualTo(1);
      assertThat(test1.careGaps()).isEqualTo(2);
      assertThat(test1.performanceRate()).hasValue(1.0 / 3);
      assertThat(rates.rates().get(1).performanceRate()).isEmpty();
    }
  }
}
