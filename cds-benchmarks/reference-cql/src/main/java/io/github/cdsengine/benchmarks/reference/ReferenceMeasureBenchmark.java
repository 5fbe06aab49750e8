package io.github.cdsengine.benchmarks.reference;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupPopulationComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.fhir.cql.engine.retrieve.RetrieveSettings.SEARCH_FILTER_MODE;
import org.opencds.cqf.fhir.cql.engine.retrieve.RetrieveSettings.TERMINOLOGY_FILTER_MODE;
import org.opencds.cqf.fhir.cql.engine.terminology.TerminologySettings.VALUESET_EXPANSION_MODE;
import org.opencds.cqf.fhir.cr.measure.MeasureEvaluationOptions;
import org.opencds.cqf.fhir.cr.measure.common.MeasurePeriodValidator;
import org.opencds.cqf.fhir.cr.measure.r4.R4MeasureService;
import org.opencds.cqf.fhir.utility.monad.Eithers;
import org.opencds.cqf.fhir.utility.repository.InMemoryFhirRepository;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time per patient of the reference Java CQL engine's measure pipeline on the patients of the
 * CMS measures' test decks: the yardstick for {@code MeasureBenchmark} in cds-benchmarks, with
 * the same patients, measurement periods, mode and units.
 *
 * <p>The pipeline is cqframework clinical-reasoning's {@link R4MeasureService} (an individual
 * report for one subject), configured as that project's own R4 measure tests configure it:
 * search and terminology filters applied in memory, value sets expanded naively from the
 * expansions given. The measures' logic is their published ELM (the Library resources of
 * cqframework/ecqm-content-qicore-2024, {@code -Dreference.content}); the Measure resources,
 * value sets and patients come from the conformance folder ({@code -Dcds.conformance}).
 *
 * <p>{@code repository=patient}: each patient is evaluated against an in-memory repository that
 * holds the measure content and that patient's resources only, the reference engine's most
 * favourable setting. {@code repository=population}: one repository holds every deck patient, as
 * a server holding a population would; resource ids that two cases share are made distinct.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 1)
public class ReferenceMeasureBenchmark {

  /** The upstream Measure id of each CMS measure. */
  static final Map<String, String> MEASURES = Map.ofEntries(
      Map.entry("CMS2", "PCSDepressionScreenAndFollowUpFHIR"),
      Map.entry("CMS22", "PCSBPScreeningFollowUpFHIR"),
      Map.entry("CMS69", "PCSBMIScreenAndFollowUpFHIR"),
      Map.entry("CMS117", "ChildhoodImmunizationStatusFHIR"),
      Map.entry("CMS122", "DiabetesGlycemicStatusAssessmentGreaterThan9PercentFHIR"),
      Map.entry("CMS124", "CervicalCancerScreeningFHIR"),
      Map.entry("CMS125", "BreastCancerScreeningFHIR"),
      Map.entry("CMS130", "ColonCancerScreeningFHIR"),
      Map.entry("CMS131", "DiabetesEyeExamFHIR"),
      Map.entry("CMS135", "HFACEIorARBorARNIforLVSDFHIR"),
      Map.entry("CMS138", "PreventiveCareAndTobaccoUseScreeningAndCessationInterventionFHIR"),
      Map.entry("CMS144", "HFBetaBlockerTherapyforLVSDFHIR"),
      Map.entry("CMS146", "AppropriateTestingforPharyngitisFHIR"),
      Map.entry("CMS153", "ChlamydiaScreeninginWomenFHIR"),
      Map.entry("CMS154", "AppropriateTreatmentforUpperRespiratoryInfectionURIFHIR"),
      Map.entry("CMS156", "UseofHighRiskMedicationsintheElderlyFHIR"),
      Map.entry("CMS165", "ControllingHighBloodPressureFHIR"),
      Map.entry("CMS347", "StatinTherapyforthePreventionandTreatmentofCardiovascularDiseaseFHIR"),
      Map.entry("CMS349", "HIVScreeningFHIR"),
      Map.entry("CMS506", "CMS506FHIRSafeUseofOpioids"),
      Map.entry("CMS951", "KidneyHealthEvaluationFHIR"));

  /** The reference pipeline, set up for every deck patient. */
  @State(Scope.Benchmark)
  public static class Decks {
    /** A measure id such as CMS125. */
    @Param({"CMS2", "CMS22", "CMS69", "CMS117", "CMS122", "CMS124", "CMS125", "CMS130",
        "CMS131", "CMS135", "CMS138", "CMS144", "CMS146", "CMS153", "CMS154", "CMS156", "CMS165",
        "CMS347", "CMS349", "CMS506", "CMS951"})
    public String measure;

    /** One repository per patient ({@code patient}) or one for all ({@code population}). */
    @Param({"patient", "population"})
    public String repository;

    private final FhirContext fhir = FhirContext.forR4Cached();
    private DeckCase[] cases;
    private R4MeasureService[] services;
    private int next;
    /** Cases left out of the population because the reference fails on them alone. */
    private int leftOut;

    /** Reads the content and the decks, builds the repositories and checks the results. */
    @Setup(Level.Trial)
    public void open() throws IOException {
      String measureId = MEASURES.get(measure);
      if (measureId == null) {
        throw new IllegalArgumentException("unknown measure: " + measure);
      }
      Path conformance = Path.of(System.getProperty("cds.conformance", "../shared/conformance"));
      Path ecqm = conformance.resolve("ecqm");
      String content = System.getProperty("reference.content", "");
      if (content.isBlank() || !Files.isDirectory(Path.of(content, "input/resources/library"))) {
        throw new IllegalStateException("-Dreference.content must name a checkout of "
            + "cqframework/ecqm-content-qicore-2024 (with input/resources/library): '" + content
            + "'");
      }
      if (!Files.isDirectory(ecqm.resolve("tests"))) {
        throw new IllegalStateException("no test decks under " + ecqm.toAbsolutePath());
      }
      IParser json = fhir.newJsonParser();
      List<Resource> knowledge = new ArrayList<>();
      knowledge.addAll(readFolder(json, Path.of(content, "input/resources/library")));
      knowledge.addAll(readFolder(json, ecqm.resolve("measures")));
      knowledge.addAll(readFolder(json, ecqm.resolve("vocabulary/valueset/external")));
      cases = DeckCase.readAll(json, ecqm, repository.equals("population"))
          .toArray(DeckCase[]::new);

      MeasureEvaluationOptions options = MeasureEvaluationOptions.defaultOptions();
      options.getEvaluationSettings().getRetrieveSettings()
          .setSearchParameterMode(SEARCH_FILTER_MODE.FILTER_IN_MEMORY)
          .setTerminologyParameterMode(TERMINOLOGY_FILTER_MODE.FILTER_IN_MEMORY);
      options.getEvaluationSettings().getTerminologySettings()
          .setValuesetExpansionMode(VALUESET_EXPANSION_MODE.PERFORM_NAIVE_EXPANSION);
      services = new R4MeasureService[cases.length];
      switch (repository) {
        case "patient" -> {
          for (int i = 0; i < cases.length; i++) {
            services[i] = service(knowledge, cases[i].resources(), options);
          }
        }
        case "population" -> {
          // A case the reference cannot evaluate on its own (its in-memory filter throws on some
          // resource, e.g. "Unable to extract codes from fhirType Reference" for a DeviceRequest
          // coded by reference) would make every retrieve of its type throw for everyone.
          List<DeckCase> evaluable = new ArrayList<>();
          for (DeckCase c : cases) {
            try {
              if (evaluate(service(knowledge, c.resources(), options), c).getStatus()
                  != MeasureReport.MeasureReportStatus.ERROR) {
                evaluable.add(c);
              }
            } catch (RuntimeException e) {
              // left out, counted below
            }
          }
          leftOut = cases.length - evaluable.size();
          cases = evaluable.toArray(DeckCase[]::new);
          List<Resource> everyone = new ArrayList<>();
          for (DeckCase c : cases) {
            everyone.addAll(c.resources());
          }
          services = new R4MeasureService[cases.length];
          R4MeasureService shared = service(knowledge, everyone, options);
          Arrays.fill(services, shared);
        }
        default -> throw new IllegalArgumentException("unknown repository: " + repository);
      }
      reportAgreement(measureId);
    }

    private R4MeasureService service(List<Resource> knowledge, List<Resource> patients,
        MeasureEvaluationOptions options) {
      Bundle bundle = new Bundle();
      Set<String> ids = new HashSet<>();
      for (Resource r : knowledge) {
        if (ids.add(key(r))) {
          bundle.addEntry().setResource(r);
        }
      }
      for (Resource r : patients) {
        if (!ids.add(key(r))) {
          throw new IllegalStateException("two resources with the id " + key(r));
        }
        bundle.addEntry().setResource(r);
      }
      return new R4MeasureService(new InMemoryFhirRepository(fhir, bundle), options,
          new MeasurePeriodValidator());
    }

    /**
     * Evaluates every case once and prints how many of the measure's own cases get the expected
     * population counts, so a run shows the pipeline is set up to do the measure's work.
     */
    private void reportAgreement(String measureId) {
      int own = 0;
      int agree = 0;
      int errors = 0;
      for (int i = 0; i < cases.length; i++) {
        MeasureReport report;
        try {
          report = evaluate(i);
        } catch (RuntimeException e) {
          errors++;
          continue;
        }
        if (report.getStatus() == MeasureReport.MeasureReportStatus.ERROR) {
          errors++;
        }
        if (cases[i].measureId().equals(measureId)) {
          own++;
          Map<String, Integer> got = counts(report);
          if (cases[i].expected().entrySet().stream()
              .allMatch(e -> e.getValue().equals(got.get(e.getKey())))) {
            agree++;
          }
        }
      }
      System.out.printf("%n%s (%s), repository=%s: %d deck patients%s; the reference agrees "
              + "with expected.tsv on %d of the measure's %d cases (every group and population); "
              + "%d evaluations reported an error%n",
          measure, measureId, repository, cases.length,
          leftOut == 0 ? "" : " (" + leftOut + " left out: the reference fails on them alone)",
          agree, own, errors);
    }

    MeasureReport evaluate(int i) {
      return evaluate(services[i], cases[i]);
    }

    private MeasureReport evaluate(R4MeasureService service, DeckCase c) {
      return service.evaluate(
          Eithers.forMiddle3(new IdType("Measure", MEASURES.get(measure))),
          c.start().atStartOfDay(ZoneOffset.UTC),
          c.end().atTime(23, 59, 59, 999_000_000).atZone(ZoneOffset.UTC),
          "subject", "Patient/" + c.patientId(),
          null, null, null, null, null, null, null, null);
    }

    MeasureReport evaluateNext() {
      int i = next;
      next = next + 1 == cases.length ? 0 : next + 1;
      return evaluate(i);
    }
  }

  /** Evaluates the next deck patient. */
  @Benchmark
  public MeasureReport evaluate(Decks decks) {
    return decks.evaluateNext();
  }

  private static String key(Resource r) {
    return r.fhirType() + "/" + r.getIdElement().getIdPart();
  }

  private static List<Resource> readFolder(IParser json, Path folder) throws IOException {
    List<Resource> resources = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        resources.add((Resource) json.parseResource(Files.readString(file)));
      }
    }
    return resources;
  }

  /** Population counts per group, as "group:population=count" entries in a sorted map. */
  static Map<String, Integer> counts(MeasureReport report) {
    Map<String, Integer> counts = new TreeMap<>();
    int group = 0;
    for (MeasureReportGroupComponent g : report.getGroup()) {
      group++;
      for (MeasureReportGroupPopulationComponent p : g.getPopulation()) {
        String code = p.getCode().getCodingFirstRep().getCode();
        if (DeckCase.POPULATIONS.contains(code)) {
          counts.put(group + ":" + code, p.getCount());
        }
      }
    }
    return counts;
  }

  /**
   * One test-deck case: its patient's resources (the expected MeasureReport left out), its
   * measurement period and, from expected.tsv, its population counts per group.
   */
  record DeckCase(String measureId, String patientId, LocalDate start, LocalDate end,
      List<Resource> resources, Map<String, Integer> expected) {

    /** The population codes compared, in expected.tsv's column order from column 6. */
    static final List<String> POPULATIONS = List.of("initial-population", "denominator",
        "denominator-exclusion", "denominator-exception", "numerator");

    /**
     * Reads every case listed in expected.tsv; with {@code distinctIds}, every resource but the
     * patient gets an id prefixed with the case's number, and references to it follow.
     */
    static List<DeckCase> readAll(IParser json, Path ecqm, boolean distinctIds)
        throws IOException {
      Map<String, List<String[]>> rows = new TreeMap<>();
      for (String line : Files.readAllLines(ecqm.resolve("expected.tsv"))) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] f = line.split("\t", -1);
          rows.computeIfAbsent(f[0] + "/" + f[1], k -> new ArrayList<>()).add(f);
        }
      }
      List<DeckCase> cases = new ArrayList<>();
      // Test decks of different measures may reuse a patient id for different patients.
      Set<String> patientIds = new HashSet<>();
      for (Map.Entry<String, List<String[]>> e : rows.entrySet()) {
        String[] first = e.getValue().get(0);
        Map<String, Integer> expected = new TreeMap<>();
        for (String[] f : e.getValue()) {
          for (int p = 0; p < POPULATIONS.size(); p++) {
            if (!f[5 + p].isEmpty()) {
              expected.put(f[2] + ":" + POPULATIONS.get(p), Integer.parseInt(f[5 + p]));
            }
          }
        }
        List<Resource> resources = readCase(json, ecqm.resolve("tests").resolve(e.getKey()),
            distinctIds ? "c" + cases.size() + "-" : null, patientIds);
        String patientId = null;
        for (Resource r : resources) {
          if (r instanceof Patient) {
            patientId = r.getIdElement().getIdPart();
          }
        }
        if (patientId == null) {
          throw new IllegalStateException("no Patient in case " + e.getKey());
        }
        cases.add(new DeckCase(first[0], patientId, LocalDate.parse(first[3]),
            LocalDate.parse(first[4]), resources, expected));
      }
      return cases;
    }

    /**
     * A case's resources without its MeasureReport; with a prefix, every resource but the patient
     * has it put before its id, and so does the patient when {@code patientIds} already holds
     * its id (an earlier case's patient, in another deck); the case's references follow.
     */
    private static List<Resource> readCase(IParser json, Path folder, String prefix,
        Set<String> patientIds) throws IOException {
      List<String> texts = new ArrayList<>();
      List<Resource> resources = new ArrayList<>();
      Map<String, String> renamed = new LinkedHashMap<>();
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
          String text = Files.readString(file);
          Resource r = (Resource) json.parseResource(text);
          if (r instanceof MeasureReport) {
            continue;
          }
          boolean seenPatient = r instanceof Patient
              && !patientIds.add(r.getIdElement().getIdPart());
          if (prefix != null && (!(r instanceof Patient) || seenPatient)) {
            renamed.put(key(r), r.fhirType() + "/" + prefix + r.getIdElement().getIdPart());
          }
          texts.add(text);
          resources.add(r);
        }
      }
      if (renamed.isEmpty()) {
        return resources;
      }
      List<Resource> distinct = new ArrayList<>();
      for (String text : texts) {
        for (Map.Entry<String, String> name : renamed.entrySet()) {
          text = text.replace('"' + name.getKey() + '"', '"' + name.getValue() + '"');
        }
        Resource r = (Resource) json.parseResource(text);
        String newName = renamed.get(key(r));
        if (newName != null) {
          r.setId(newName.substring(newName.indexOf('/') + 1));
        }
        distinct.add(r);
      }
      return distinct;
    }
  }
}
