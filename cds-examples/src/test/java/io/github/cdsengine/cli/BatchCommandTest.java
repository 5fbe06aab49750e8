package io.github.cdsengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.testing.Conformance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cds batch} end to end: the outputs, their counts, and that threads change nothing. */
class BatchCommandTest {

  static final ObjectMapper JSON = new ObjectMapper();

  /** Three patients as NDJSON: 47 and male (screening due), 30 and female, 80 and female. */
  static final String NDJSON = String.join("\n",
      "{\"resourceType\": \"Patient\", \"id\": \"nd-47\", \"birthDate\": \"1978-02-11\", \"gender\": \"male\"}",
      "{\"resourceType\": \"Patient\", \"id\": \"nd-30\", \"birthDate\": \"1995-01-01\", \"gender\": \"female\"}",
      "{\"resourceType\": \"Patient\", \"id\": \"nd-80\", \"birthDate\": \"1945-03-03\", \"gender\": \"female\"}")
      + "\n";

  static Cli.Result batch(Path out, String... more) {
    return Cli.run(Cli.concat(new String[] {"batch", "--at", "2025-06-15", "--out",
        out.toString()}, more));
  }

  @Test
  void writesEveryOutputWithCountsThatAddUp(@TempDir Path dir) throws Exception {
    Path ndjson = dir.resolve("population.ndjson");
    Files.writeString(ndjson, NDJSON);
    Path out = dir.resolve("out");
    Cli.Result result = batch(out, "--threads", "2", ndjson.toString(),
        Cli.USPSTF_SCENARIOS.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("13 patients evaluated");
    assertThat(result.err()).as("no progress bar without a terminal").doesNotContain("[#");

    List<String> lines = Files.readAllLines(out.resolve("results.ndjson"));
    assertThat(lines).hasSize(13);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.path("source").asText()).endsWith("population.ndjson #1");
    assertThat(first.path("ageBand").asText()).isEqualTo("45-64");
    assertThat(first.path("sex").asText()).isEqualTo("male");
    assertThat(first.path("result").path("patientId").asText()).isEqualTo("nd-47");
    assertThat(JSON.readTree(lines.get(1)).path("ageBand").asText()).isEqualTo("18-44");
    assertThat(JSON.readTree(lines.get(2)).path("ageBand").asText()).isEqualTo("75+");

    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertThat(csv.get(0)).isEqualTo("patient,source,recommendation,status,severity,rank");
    assertThat(csv).anySatisfy(row -> assertThat(row).startsWith("nd-47,").endsWith(
        ",uspstf-crc-screening,shown,warning,1"));
    assertThat(csv).anySatisfy(row -> assertThat(row).startsWith("nd-80,").endsWith(
        ",uspstf-crc-screening-selective,shown,info,1"));
    assertThat(csv).anySatisfy(row -> assertThat(row).startsWith("colon-cancer-history,")
        .endsWith(",uspstf-crc-screening,suppressed,warning,"));

    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    assertThat(summary.path("patients").asInt()).isEqualTo(13);
    int byBand = 0;
    for (JsonNode n : summary.path("patientsByAgeBand")) {
      byBand += n.asInt();
    }
    int bySex = 0;
    for (JsonNode n : summary.path("patientsBySex")) {
      bySex += n.asInt();
    }
    assertThat(byBand).isEqualTo(13);
    assertThat(bySex).isEqualTo(13);
    JsonNode due = summary.path("recommendations").get(0);
    assertThat(due.path("id").asText()).isEqualTo("uspstf-crc-screening");
    long dueRows = csv.stream().filter(r -> r.contains(",uspstf-crc-screening,shown,")).count();
    assertThat(due.path("shown").asLong()).isEqualTo(dueRows).isEqualTo(4);
    assertThat(due.path("withheld").asInt()).isEqualTo(3);
    assertThat(due.path("shownByAgeBand").path("45-64").asInt()
        + due.path("shownByAgeBand").path("65-74").asInt()).isEqualTo(4);
    assertThat(due.path("shownBySex").path("male").asInt()
        + due.path("shownBySex").path("female").asInt()).isEqualTo(4);

    List<String> summaryCsv = Files.readAllLines(out.resolve("summary.csv"));
    assertThat(summaryCsv.get(0))
        .isEqualTo("recommendation,title,group,value,patients,shown,shown_rate");
    assertThat(summaryCsv).contains(
        "uspstf-crc-screening,Colorectal cancer screening is due,all,all,13,4,0.3077");
    assertThat(out.resolve("measures.csv")).doesNotExist();
    assertThat(Files.readString(out.resolve("report.html")))
        .contains("<!DOCTYPE html>").contains("\"patients\" : 13")
        .doesNotContain("http://cdn").doesNotContain("<script src");
  }

  @Test
  void theOutputsDoNotDependOnTheNumberOfThreads(@TempDir Path dir) throws Exception {
    Path ndjson = dir.resolve("population.ndjson");
    Files.writeString(ndjson, NDJSON.repeat(1));
    String[] inputs = {ndjson.toString(), Cli.USPSTF_SCENARIOS.toString(),
        Cli.PATIENTS.toString()};
    Cli.Result one = batch(dir.resolve("one"), Cli.concat(new String[] {"--threads", "1"},
        inputs));
    Cli.Result four = batch(dir.resolve("four"), Cli.concat(new String[] {"--threads", "4"},
        inputs));
    assertThat(one.exitCode()).as(one.err()).isZero();
    assertThat(four.exitCode()).as(four.err()).isZero();
    for (String file : List.of("results.ndjson", "results.csv", "summary.json", "summary.csv",
        "report.html")) {
      assertThat(Files.readString(dir.resolve("four").resolve(file))).as(file)
          .isEqualTo(Files.readString(dir.resolve("one").resolve(file)));
    }
    long files;
    try (var walk = Files.walk(Cli.USPSTF_SCENARIOS); var patients = Files.list(Cli.PATIENTS)) {
      files = walk.filter(p -> p.toString().endsWith(".json")).count()
          + patients.filter(p -> p.toString().endsWith(".json")).count();
    }
    assertThat(Files.readAllLines(dir.resolve("one/results.ndjson")))
        .hasSize((int) (NDJSON.lines().count() + files));
  }

  @Test
  void measureRatesAreWrittenWhenMeasurePacksRan(@TempDir Path dir) throws Exception {
    Conformance.assumePresent(Cli.valueSets().isPresent(), "no conformance value sets beside the checkout");
    Path out = dir.resolve("out");
    Cli.Result result = Cli.run("batch", "--at", "2025-12-31T23:59:59Z", "--period",
        "2025-01-01/2025-12-31", "--value-sets", Cli.valueSets().get().toString(), "--out",
        out.toString(), Cli.PATIENTS.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> measures = Files.readAllLines(out.resolve("measures.csv"));
    assertThat(measures.get(0)).isEqualTo("measure,group,improvement,initial_population,"
        + "denominator,denominator_exclusion,denominator_exception,numerator,care_gaps,"
        + "performance_rate,eligible,ci95_lower,ci95_upper");
    // Five women of 52 to 74 with an office visit in 2025 (the CMS347 example's among them),
    // one screened: a rate of 0.2 and four care gaps, the Wilson 95% interval of 1 in 5 being
    // 0.0362 to 0.6245. The two inverse-measure patients of CMS156 are each in one numerator
    // (1 in 2: 0.0945 to 0.9055). CMS347: six patients in population 3 (diabetes at 40 to 75,
    // the CMS131 and CMS951 examples' included), one on a statin (1 in 6: 0.0301 to 0.5635).
    // CMS22 counts encounters, as the engine does (MeasureResult.count): 32 visits of "Encounter
    // to Screen for Blood Pressure" in 2025 by 30 adults (the two heart failure examples have two
    // office visits each), one excluded (hypertension diagnosed before it); of the 31 eligible
    // visits only the CMS22 example's, with a rescreen and lifestyle education ordered, is in the
    // numerator (the other examples have no blood pressure panel reading), 1 in 31: 0.0057 to
    // 0.1619. Care gaps stay a count of patients (28).
    // CMS69: the same 30 adults, only the CMS69 example referred to a dietitian for obesity in the
    // numerator (the others have no BMI): 1 in 30, 0.0059 to 0.1667.
    // CMS2: 32 patients of 12 or older with a visit to screen for depression, only the CMS2
    // example screened negative in the numerator: 1 in 32, 0.0055 to 0.1574.
    assertThat(measures).contains("CMS22,1,increase,32,32,1,0,1,28,0.0323,31,0.0057,0.1619",
        "CMS69,1,increase,30,30,0,0,1,29,0.0333,30,0.0059,0.1667",
        "CMS2,1,increase,32,32,0,0,1,31,0.0313,32,0.0055,0.1574");
    // CMS144 and CMS135: the two heart failure examples (LVEF 30 %, two office visits), one with
    // carvedilol and sacubitril/valsartan ordered at a visit (1 in 2 each).
    assertThat(measures).contains("CMS125,1,increase,5,5,0,0,1,4,0.2,5,0.0362,0.6245",
        "CMS347,3,increase,6,6,0,0,1,5,0.1667,6,0.0301,0.5635",
        "CMS144,1,increase,2,2,0,0,1,1,0.5,2,0.0945,0.9055",
        "CMS135,1,increase,2,2,0,0,1,1,0.5,2,0.0945,0.9055",
        "CMS156,1,decrease,2,2,0,0,1,1,0.5,2,0.0945,0.9055",
        "CMS156,2,decrease,2,2,0,0,1,1,0.5,2,0.0945,0.9055",
        "CMS506,1,decrease,1,1,0,0,1,1,1.0,1,0.2065,1.0");
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    assertThat(summary.path("measures").size()).isEqualTo(measures.size() - 1);
    // Every measure's population counts are the sums of the patients' own counts in
    // results.ndjson (their episodes for a measure counted by episode), and no numerator is
    // larger than its eligible denominator.
    java.util.Map<String, Integer> sums = new java.util.TreeMap<>();
    for (String line : Files.readAllLines(out.resolve("results.ndjson"))) {
      for (JsonNode m : JSON.readTree(line).path("result").path("measures")) {
        for (JsonNode population : m.path("populations")) {
          JsonNode episodes = m.path("episodes").path(population.asText());
          sums.merge(m.path("measure").asText() + "/" + m.path("group").asInt() + "/"
              + population.asText(), episodes.isMissingNode() ? 1 : episodes.asInt(),
              Integer::sum);
        }
      }
    }
    for (JsonNode m : summary.path("measures")) {
      String key = m.path("measure").asText() + "/" + m.path("group").asInt() + "/";
      for (String[] p : new String[][] {{"INITIAL_POPULATION", "initialPopulation"},
          {"DENOMINATOR", "denominator"}, {"DENOMINATOR_EXCLUSION", "denominatorExclusion"},
          {"DENOMINATOR_EXCEPTION", "denominatorException"}, {"NUMERATOR", "numerator"}}) {
        assertThat(m.path(p[1]).asInt()).as(key + p[0])
            .isEqualTo(sums.getOrDefault(key + p[0], 0));
      }
      assertThat(m.path("numerator").asInt()).as(key)
          .isLessThanOrEqualTo(m.path("eligible").asInt());
    }
    assertThat(summary.path("measurementPeriod").asText()).isEqualTo("2025-01-01/2025-12-31");
  }

  /**
   * The report lists patient ids behind its figures, and nothing else of the patient: an input
   * named after its patient (as Synthea names its records) or where the inputs lie on disk stays
   * out of report.html; results.ndjson, which the report points to, says where each was read.
   */
  @Test
  void theReportListsPatientIdsButNotTheInputsTheyWereReadFrom(@TempDir Path dir)
      throws Exception {
    Path input = Files.createDirectories(dir.resolve("ward-7"))
        .resolve("Jane_Doe_1960-03-03.ndjson");
    Files.writeString(input, NDJSON);
    Path out = dir.resolve("out");
    Cli.Result result = batch(out, input.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    String report = Files.readString(out.resolve("report.html"));
    assertThat(report).as("a drill-down list").contains("\"nd-47\"");
    assertThat(report).doesNotContain("Jane_Doe").doesNotContain("ward-7");
    assertThat(Files.readString(out.resolve("results.ndjson"))).contains("Jane_Doe_1960-03-03");
  }

  @Test
  void aBadInputIsReportedAndTheRestIsStillWritten(@TempDir Path dir) throws Exception {
    Path inputs = dir.resolve("inputs");
    Files.createDirectories(inputs);
    Files.writeString(inputs.resolve("a-good.ndjson"), NDJSON);
    Files.writeString(inputs.resolve("b-bad.json"), "{\"resourceType\": \"Patient\", \"id\": ");
    Path out = dir.resolve("out");
    Cli.Result result = batch(out, inputs.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("b-bad.json").contains("not valid JSON");
    assertThat(Files.readAllLines(out.resolve("results.ndjson"))).hasSize(3);
    assertThat(JSON.readTree(out.resolve("summary.json").toFile()).path("inputErrors").asInt())
        .isEqualTo(1);
  }

  /** The command line's class path has no Hadoop; nor has this test's (see the pom). */
  @Test
  void writesResultsParquetWithoutHadoopOnTheClassPath(@TempDir Path dir) throws Exception {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> Class.forName("org.apache.hadoop.conf.Configuration"))
        .isInstanceOf(ClassNotFoundException.class);
    Path ndjson = dir.resolve("population.ndjson");
    Files.writeString(ndjson, NDJSON);
    Path out = dir.resolve("out");
    Cli.Result result = batch(out, ndjson.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    try (var parts = Files.list(out.resolve("results.parquet"))) {
      assertThat(parts.map(p -> p.getFileName().toString())).containsExactly(ParquetResults.PART);
    }
    byte[] part = Files.readAllBytes(out.resolve("results.parquet").resolve(ParquetResults.PART));
    String magic = "PAR1";
    assertThat(new String(part, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo(magic);
    assertThat(new String(part, part.length - 4, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo(magic);
  }

  @Test
  void reportPatientsTakesZeroToTheBoundAndRefusesAnythingElseNamingTheOption(@TempDir Path dir)
      throws Exception {
    Path ndjson = dir.resolve("population.ndjson");
    Files.writeString(ndjson, NDJSON);
    for (int accepted : new int[] {0, io.github.cdsengine.population.DrillDown.MAX_LIMIT}) {
      Path out = dir.resolve("out-" + accepted);
      Cli.Result result = batch(out, "--report-patients", String.valueOf(accepted),
          ndjson.toString());
      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(Files.readString(out.resolve("report.html")).contains("\"nd-47\""))
          .as("ids listed with --report-patients " + accepted).isEqualTo(accepted > 0);
    }
    for (String refused : new String[] {"1001", "-1", "2147483647"}) {
      Path out = dir.resolve("refused");
      Cli.Result result = batch(out, "--report-patients", refused, ndjson.toString());
      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.errLines()).first().asString()
          .contains("--report-patients must be from 0 to 1000: " + refused);
      assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(out).as("nothing written").doesNotExist();
    }
  }

  @Test
  void anOutputPathThatIsAFileIsAUsageError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("taken");
    Files.writeString(file, "x");
    Cli.Result result = batch(file, Cli.PATIENTS.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.err()).contains("--out: not a directory");
  }

  @Test
  void ageBandsFollowCompletedYears() {
    var context = io.github.cdsengine.core.evaluation.EvaluationContext.on(java.time.LocalDate.of(2025, 6,
        15), java.time.ZoneOffset.UTC);
    String[][] cases = {{"2007-06-16", "0-17"}, {"2007-06-15", "18-44"}, {"1980-06-16", "18-44"},
        {"1980-06-15", "45-64"}, {"1960-06-15", "65-74"}, {"1950-06-16", "65-74"},
        {"1950-06-15", "75+"}, {"2026-01-01", "unknown"}};
    for (String[] c : cases) {
      var patient = new io.github.cdsengine.core.model.Patient("p",
          java.time.LocalDate.parse(c[0]), null);
      assertThat(io.github.cdsengine.population.PatientRow.ageBand(patient, context)).as(c[0]).isEqualTo(c[1]);
    }
    assertThat(io.github.cdsengine.population.PatientRow.sex(new io.github.cdsengine.core.model.Patient("p", null,
        null))).isEqualTo("unknown");
  }
}
