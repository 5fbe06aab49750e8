package io.github.cdsengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.testing.Conformance;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code cds diff} end to end: a real rule change, the release gate, the outputs. */
class DiffCommandTest {

  static final String PACK_ID = "uspstf-colorectal-cancer-screening";
  /** The shipped USPSTF colorectal pack's folder, from this module's directory. */
  static final Path SHIPPED_COLORECTAL = Path.of("../cds-rules/src/main/resources/io/github/"
      + "cdsengine/rules/uspstf/colorectal");
  /** The instant every diff here runs at, and the day ages are counted on. */
  static final LocalDate ON = LocalDate.of(2025, 6, 15);
  /** The recommendations the pack shows at 45 to 49 under the 2021 statement. */
  static final Set<String> CRC_RECOMMENDATIONS = Set.of("uspstf-crc-screening",
      "uspstf-crc-follow-up-colonoscopy");

  /**
   * A copy of the shipped colorectal pack with the screening start age moved from 45 to 50, as in
   * the USPSTF 2016 statement: every {@code years >= 45} of its DRL becomes {@code years >= 50},
   * so the grade B rules for 45 to 49 can no longer fire.
   */
  static Path startAgeFifty(Path dir) throws IOException {
    Path pack = Files.createDirectories(dir.resolve("colorectal-start-50"));
    try (Stream<Path> files = Files.list(SHIPPED_COLORECTAL)) {
      for (Path file : files.toList()) {
        Files.copy(file, pack.resolve(file.getFileName().toString()));
      }
    }
    Path drl = pack.resolve("colorectal-cancer-screening.drl");
    String rules = Files.readString(drl);
    assertThat(rules).as("the start age in the shipped DRL").contains("years >= 45, years <= 49");
    Files.writeString(drl, rules.replace("years >= 45", "years >= 50"));
    Path manifest = pack.resolve("pack.json");
    String json = Files.readString(manifest);
    assertThat(json).contains("\"version\": \"1.3.0\"");
    Files.writeString(manifest, json.replace("\"version\": \"1.3.0\"",
        "\"version\": \"1.3.0-start-age-50\""));
    return pack;
  }

  /** The Synthea corpus, or the bundled example patients where it is absent and CI is not set. */
  static Path cohort() {
    Optional<Path> synthea = Conformance.find("synthea/bundles");
    Conformance.assumePresent(synthea.isPresent() || !Conformance.required(),
        "the Synthea corpus (synthea/bundles) is required where CI is set");
    return synthea.orElse(Cli.PATIENTS);
  }

  @Test
  void movingTheStartAgeTo50ListsExactlyThePatientsAged45To49WhoLoseTheRecommendation(
      @TempDir Path dir) throws Exception {
    Path pack = startAgeFifty(dir);
    Path cohort = cohort();
    Path csv = dir.resolve("changes.csv");
    Path summaryCsv = dir.resolve("summary.csv");
    Path html = dir.resolve("diff.html");
    Cli.Result diff = Cli.run("diff", "--before-shipped", "--after-rules", pack.toString(),
        "--at", ON.toString(), "--max-changed-patients", "0", "--csv", csv.toString(),
        "--summary-csv", summaryCsv.toString(), "--html", html.toString(), cohort.toString());

    // Independently: each patient's age on the day from its birth date, and what the shipped
    // pack (the engine before the change) showed or withheld.
    Set<String> loseShown = new TreeSet<>();
    Set<String> loseWithheld = new TreeSet<>();
    int patients = 0;
    int aged45To49 = 0;
    RulePack shipped = ShippedRulePacks.all().stream().filter(p -> p.id().equals(PACK_ID))
        .findFirst().orElseThrow();
    EvaluationContext context = new EvaluationContext(
        ON.atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC, null);
    try (CdsEngine before = CdsEngine.builder().addRulePack(shipped).build()) {
      for (PatientRecord record : records(cohort)) {
        patients++;
        LocalDate birth = record.patient().birthDate();
        int age = Period.between(birth, ON).getYears();
        if (age < 45 || age > 49) {
          continue;
        }
        aged45To49++;
        EvaluationResult result = before.evaluate(record, context);
        if (result.recommendations().stream().anyMatch(r -> CRC_RECOMMENDATIONS.contains(r.id()))) {
          loseShown.add(record.patient().id());
        } else if (!result.withheld().isEmpty()) {
          loseWithheld.add(record.patient().id());
        }
      }
    }
    if (cohort.equals(Cli.PATIENTS)) {
      assertThat(aged45To49).as("example patients aged 45 to 49").isPositive();
    } else {
      assertThat(patients).as("the Synthea corpus").isEqualTo(102);
      assertThat(loseShown).as("Synthea patients aged 45 to 49 shown screening").isNotEmpty();
    }

    List<String[]> rows = Files.readAllLines(csv).stream().skip(1).map(line -> {
      assertThat(line).as("no quoting in this corpus's ids and paths").doesNotContain("\"");
      return line.split(",", -1);
    }).toList();
    Set<String> lostShown = rows.stream().filter(r -> r[2].equals("recommendation")
        && r[4].startsWith("shown") && r[5].equals("not proposed")).map(r -> r[0])
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> changed = rows.stream().map(r -> r[0])
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(lostShown).as("patients who lose a shown recommendation").isEqualTo(loseShown);
    Set<String> everyLoss = new TreeSet<>(loseShown);
    everyLoss.addAll(loseWithheld);
    assertThat(changed).as("every changed patient").isEqualTo(everyLoss);
    assertThat(rows).as("every change is a loss").allSatisfy(r ->
        assertThat(r[5]).isEqualTo("not proposed"));

    assertThat(diff.exitCode()).as(diff.err())
        .isEqualTo(everyLoss.isEmpty() ? 0 : CdsCli.RULE_PROBLEM);
    assertThat(diff.out()).contains("Compared " + patients + " patients at 2025-06-15T00:00:00Z")
        .contains(PACK_ID + "@1.3.0 (shipped)")
        .contains(PACK_ID + "@1.3.0-start-age-50")
        .contains(everyLoss.size() + " of " + patients + " patients changed");
    if (!everyLoss.isEmpty()) {
      assertThat(diff.out()).contains("Gate: FAILED")
          .contains(everyLoss.size() + " patients changed, more than --max-changed-patients 0");
    }
    long shownBefore = loseShown.size();
    String summaryStart = "uspstf-crc-screening,Colorectal cancer screening is due," + patients
        + ",";
    assertThat(Files.readAllLines(summaryCsv)).anySatisfy(line -> assertThat(line)
        .startsWith(summaryStart));
    String report = Files.readString(html);
    assertThat(report).contains("<!DOCTYPE html>").doesNotContain("<script src")
        .doesNotContain("<link").doesNotContain("http://cdn").doesNotContain("https://cdn");
    loseShown.forEach(id -> assertThat(report).contains(id));
    System.out.println("cds diff, colorectal start age 45 -> 50 over " + cohort + ": "
        + patients + " patients, " + aged45To49 + " aged 45-49, " + shownBefore
        + " lose a shown recommendation, " + everyLoss.size() + " changed");
  }

  private static List<PatientRecord> records(Path cohort) throws IOException {
    FhirReader reader = FhirReader.create();
    List<PatientRecord> records = new ArrayList<>();
    for (Path file : Conformance.jsonFiles(cohort)) {
      try (InputStream in = Files.newInputStream(file)) {
        records.addAll(reader.read(in, file.toString()).patients());
      }
    }
    return records;
  }

  /** The three NDJSON patients of the batch tests: 47 (screening due), 30 and 80. */
  private static Path ndjson(Path dir) throws IOException {
    Path file = dir.resolve("population.ndjson");
    Files.writeString(file, BatchCommandTest.NDJSON);
    return file;
  }

  @Test
  void theSameRulesChangeNoPatientAndPassEveryLimit(@TempDir Path dir) throws Exception {
    Path shipped = dir.resolve("shipped");
    Files.createDirectories(shipped);
    try (Stream<Path> files = Files.list(SHIPPED_COLORECTAL)) {
      for (Path file : files.toList()) {
        Files.copy(file, shipped.resolve(file.getFileName().toString()));
      }
    }
    Cli.Result diff = Cli.run("diff", "--before-shipped", "--after-rules", shipped.toString(),
        "--at", ON.toString(), "--max-changed-patients", "0", "--max-rate-change", "0",
        ndjson(dir).toString(), Cli.USPSTF_SCENARIOS.toString());
    assertThat(diff.exitCode()).as(diff.err()).isZero();
    assertThat(diff.out()).contains("0 of 13 patients changed").contains("Gate: passed")
        .contains("+0.00 (");
  }

  @ParameterizedTest(name = "{0} -> exit {1}")
  @CsvSource(delimiter = '|', value = {
      "--max-changed-patients 1 | 0 | Gate: passed",
      "--max-changed-patients 0 | 1 | 1 patients changed, more than --max-changed-patients 0",
      "--max-rate-change 33.34 | 0 | Gate: passed",
      "--max-rate-change 33.33 | 1 | uspstf-crc-screening moved -33.33 percentage points, more "
          + "than --max-rate-change 33.33",
      "--max-rate-change 0 --max-changed-patients 5 | 1 | Gate: FAILED"})
  void theGateFailsOnlyPastItsLimits(String limits, int exit, String says, @TempDir Path dir)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("diff", "--before-shipped", "--after-rules",
        startAgeFifty(dir).toString(), "--at", ON.toString()));
    args.addAll(List.of(limits.split(" ")));
    args.add(ndjson(dir).toString());
    Cli.Result diff = Cli.run(args);
    assertThat(diff.exitCode()).as(diff.err()).isEqualTo(exit);
    assertThat(diff.out()).contains("1 of 3 patients changed").contains(says)
        .contains("nd-47 (").contains("recommendation uspstf-crc-screening: shown (warning) -> "
            + "not proposed");
  }

  @Test
  void twoRuleFoldersCompareWithoutTheShippedPack(@TempDir Path dir) throws Exception {
    Path before = Files.createDirectories(dir.resolve("before"));
    try (Stream<Path> files = Files.list(SHIPPED_COLORECTAL)) {
      for (Path file : files.toList()) {
        Files.copy(file, before.resolve(file.getFileName().toString()));
      }
    }
    Path csv = dir.resolve("out/changes.csv");
    Cli.Result diff = Cli.run("diff", "--before-rules", before.toString(), "--after-rules",
        startAgeFifty(dir).toString(), "--at", ON.toString(), "--csv", csv.toString(),
        ndjson(dir).toString());
    assertThat(diff.exitCode()).as(diff.err()).isZero();
    assertThat(diff.out()).contains("Gate: no limits given");
    assertThat(Files.readAllLines(csv)).containsExactly(
        "patient,source,kind,item,before,after",
        "nd-47," + dir.resolve("population.ndjson") + " #1,recommendation,uspstf-crc-screening,"
            + "shown (warning),not proposed");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no before | --after-rules RULES | either --before-rules PATH or --before-shipped",
      "both befores | --before-shipped --before-rules RULES --after-rules RULES | , not both",
      "negative limit | --before-shipped --after-rules RULES --max-changed-patients -1 | "
          + "--max-changed-patients must be 0 or more: -1",
      "rate over 100 | --before-shipped --after-rules RULES --max-rate-change 101 | "
          + "--max-rate-change must be from 0 to 100 percentage points: 101.0",
      "missing rules | --before-shipped --after-rules nowhere | --after-rules: no such file or "
          + "directory: nowhere",
      "loose DRL | --before-shipped --after-rules DRL | --after-rules holds no pack",
      "no after | --before-shipped | --after-rules"})
  void usageErrorsExitTwoWithOneLine(String name, String args, String says, @TempDir Path dir)
      throws Exception {
    Path rules = startAgeFifty(dir);
    List<String> all = new ArrayList<>(List.of("diff", "--at", ON.toString()));
    for (String arg : args.split(" ")) {
      all.add(arg.equals("RULES") ? rules.toString()
          : arg.equals("DRL") ? rules.resolve("colorectal-cancer-screening.drl").toString() : arg);
    }
    all.add(ndjson(dir).toString());
    Cli.Result diff = Cli.run(all);
    assertThat(diff.exitCode()).as(diff.err()).isEqualTo(CdsCli.USAGE);
    assertThat(diff.errLines()).hasSize(1);
    assertThat(diff.err()).contains(says);
  }

  /** The shipped measure packs' folder (the packs share files in it), from this module. */
  static final Path SHIPPED_MEASURES = Path.of("../cds-rules/src/main/resources/io/github/"
      + "cdsengine/rules/measures");

  /**
   * The CMS130 deck as the cohort, the measure's initial population moved from age 46 to 51 at
   * the end of the period: every case the deck expects in the initial population and aged 46 to
   * 50 on 2025-12-31 (counted here from its Patient's birth date) leaves every population, and no
   * other case changes.
   */
  @Test
  void theMeasureDecksAreACohortAndTheirPopulationChangesAreListed(@TempDir Path dir)
      throws Exception {
    Optional<Path> ecqm = Conformance.find("ecqm");
    Conformance.assumePresent(ecqm.isPresent(), "no ecqm folder in the conformance folder");
    Path measures = dir.resolve("measures");
    try (Stream<Path> walk = Files.walk(SHIPPED_MEASURES)) {
      for (Path from : walk.toList()) {
        Path to = measures.resolve(SHIPPED_MEASURES.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
    Path drl = measures.resolve("cms130/colorectal-cancer-screening.drl");
    String rules = Files.readString(drl);
    assertThat(rules).contains("ageAtEndBetween(this, 46, 75)");
    Files.writeString(drl, rules.replace("ageAtEndBetween(this, 46, 75)",
        "ageAtEndBetween(this, 51, 75)"));

    Path deck = ecqm.get().resolve("tests/ColonCancerScreeningFHIR");
    LocalDate end = LocalDate.of(2025, 12, 31);
    Set<String> inInitialPopulation = new TreeSet<>();
    Set<String> expected = new TreeSet<>();
    for (String line : Files.readAllLines(ecqm.get().resolve("expected.tsv"))) {
      String[] cells = line.split("\t", -1);
      if (!cells[0].equals("ColonCancerScreeningFHIR") || !cells[5].equals("1")) {
        continue;
      }
      inInitialPopulation.add(cells[1]);
      Path patient;
      try (Stream<Path> files = Files.list(deck.resolve(cells[1]))) {
        patient = files.filter(f -> f.getFileName().toString().startsWith("Patient-"))
            .findFirst().orElseThrow();
      }
      LocalDate born = LocalDate.parse(new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(patient.toFile()).path("birthDate")
          .asText());
      int age = Period.between(born, end).getYears();
      if (age >= 46 && age <= 50) {
        expected.add(cells[1]);
      }
    }
    assertThat(expected).isNotEmpty();

    Path csv = dir.resolve("changes.csv");
    Cli.Result diff = Cli.run("diff", "--before-shipped", "--after-rules",
        measures.resolve("cms130").toString(), "--value-sets",
        ecqm.get().resolve("vocabulary/valueset").toString(), "--at", "2025-12-31T23:59:59Z",
        "--period", "2025-01-01/2025-12-31", "--csv", csv.toString(), deck.toString());
    assertThat(diff.exitCode()).as(diff.err()).isZero();
    int cases;
    try (Stream<Path> folders = Files.list(deck)) {
      cases = (int) folders.filter(Files::isDirectory).count();
    }
    assertThat(diff.out()).contains("Compared " + cases + " patients")
        .contains("CMS130 group 1 initial-population: " + inInitialPopulation.size() + " -> "
            + (inInitialPopulation.size() - expected.size()));
    Set<String> changed = new TreeSet<>();
    for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
      String[] cells = line.split(",", -1);
      if (cells[2].equals("measure")) {
        changed.add(Path.of(cells[1]).getFileName().toString());
        assertThat(cells[3]).isEqualTo("CMS130 group 1");
        assertThat(cells[5]).isEqualTo("in no population");
      }
    }
    assertThat(changed).isEqualTo(expected);
  }

  /**
   * A folder of single resources with one Patient is one patient; a folder of Bundles, or of two
   * Patients and nothing else, is read file by file as before.
   */
  @Test
  void aFolderOfSingleResourcesWithOnePatientIsOnePatient(@TempDir Path dir) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("cases/case-1"));
    Files.writeString(folder.resolve("Patient-p1.json"), """
        {"resourceType": "Patient", "id": "p1", "gender": "female",
         "birthDate": "1970-03-01"}""");
    Files.writeString(folder.resolve("Condition-c1.json"), """
        {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p1"},
         "code": {"coding": [{"system": "http://snomed.info/sct", "code": "44054006"}]},
         "clinicalStatus": {"coding": [{"system":
           "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]},
         "onsetDateTime": "2020-01-01"}""");
    Path pair = Files.createDirectories(dir.resolve("cases/two-patients"));
    Files.writeString(pair.resolve("a.json"), """
        {"resourceType": "Patient", "id": "a", "birthDate": "1980-01-01"}""");
    Files.writeString(pair.resolve("b.json"), """
        {"resourceType": "Patient", "id": "b", "birthDate": "1981-01-01"}""");

    List<Path> inputs = PatientInputs.files(List.of(dir.resolve("cases")));
    assertThat(inputs).containsExactly(dir.resolve("cases/case-1"), pair.resolve("a.json"),
        pair.resolve("b.json"));
    List<Subject> subjects = new ArrayList<>();
    for (Path input : inputs) {
      PatientInputs.read(input, InputFiles.DEFAULT_LIMIT, subjects::add);
    }
    assertThat(subjects).extracting(s -> s.record().patient().id())
        .containsExactly("p1", "a", "b");
    assertThat(subjects.get(0).source()).isEqualTo(folder.toString());
    assertThat(subjects.get(0).record().conditions()).hasSize(1);
    // The Synthea-style folder of Bundles is not a case folder.
    assertThat(PatientInputs.files(List.of(Cli.PATIENTS)))
        .allMatch(Files::isRegularFile);
  }
}
