package io.github.cdsengine.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.cdsengine.population.BulkLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a synthetic population of any size in Bulk Data export layout (gzipped NDJSON parts and
 * a manifest) for the population-run benchmark: each patient is a copy of a CMS measure
 * test-deck case (a few KB) or, at a given small share, of a Synthea record (about 1 MB), with
 * ids of its own and every date moved by the same whole number of days ({@link #shifted}: a
 * partial date, a year or a year and month, moves with the first day of its period and keeps
 * its precision). What is drawn comes from
 * a seeded generator and the patient's number only: the same arguments always write the same
 * files (no clock, no file order left to the file system).
 *
 * <p>Usage: {@code BulkPopulation OUT PATIENTS [SEED] [SYNTHEA_ONE_IN]}, with the conformance
 * folder from {@code -Dcds.conformance} (default {@code ../shared/conformance}). A deck case's
 * expected MeasureReport is not copied: it is the deck's answer, not patient data.
 */
public final class BulkPopulation {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A FHIR date, or the date at the start of a dateTime or instant. */
  private static final Pattern DATE = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2})(T.*)?$");
  /** A FHIR partial date: a year, or a year and month (FHIR R4 date and dateTime types). */
  private static final Pattern PARTIAL_DATE = Pattern.compile("^(\\d{4})(?:-(\\d{2}))?$");
  /**
   * Fields of FHIR R4's date, dateTime or instant types whose names do not end in {@code Date}
   * or {@code DateTime}: only in these and those is a bare year or year-month read as a date,
   * since four digits elsewhere (a version, a postal code) are not one.
   */
  private static final Set<String> DATE_FIELDS = Set.of("date", "start", "end", "authoredOn",
      "recorded", "created", "issued", "lastUpdated", "whenPrepared", "whenHandedOver",
      "lastOccurrence", "dateAsserted", "dateWritten");
  /** Fields whose text is never a date, left as they are. */
  private static final Set<String> NOT_DATES = Set.of("id", "reference", "fullUrl", "url",
      "system", "code", "value", "display");
  /** Dates move by up to this many days either way. */
  static final int MOST_DAYS_SHIFTED = 365;
  /** Lines per NDJSON part: enough parts for a Spark task each, few enough to list. */
  static final long LINES_PER_FILE = 500_000;

  /** One source patient: its JSON documents as read, and whether it is a test-deck case. */
  record Source(String name, List<byte[]> documents, boolean deckCase) {}

  private final List<Source> deckCases;
  private final List<Source> synthea;
  private final long seed;
  private final int syntheaOneIn;

  BulkPopulation(List<Source> deckCases, List<Source> synthea, long seed, int syntheaOneIn) {
    if (deckCases.isEmpty()) {
      throw new IllegalArgumentException("no test-deck case to copy");
    }
    if (syntheaOneIn < 0) {
      throw new IllegalArgumentException("SYNTHEA_ONE_IN must be 0 (none) or more: "
          + syntheaOneIn);
    }
    if (syntheaOneIn > 0 && synthea.isEmpty()) {
      throw new IllegalArgumentException("a Synthea share was asked for, but no Synthea record "
          + "was found");
    }
    this.deckCases = List.copyOf(deckCases);
    this.synthea = List.copyOf(synthea);
    this.seed = seed;
    this.syntheaOneIn = syntheaOneIn;
  }

  /**
   * Writes the population.
   *
   * @param args OUT PATIENTS [SEED] [SYNTHEA_ONE_IN]
   * @throws IOException when the sources cannot be read or the export written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 4) {
      System.err.println("usage: BulkPopulation OUT PATIENTS [SEED] [SYNTHEA_ONE_IN]");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    long patients = Long.parseLong(args[1]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 20261207L;
    int oneIn = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
    Path conformance = Path.of(System.getProperty("cds.conformance", "../shared/conformance"));
    BulkPopulation population = new BulkPopulation(deckCases(conformance.resolve("ecqm/tests")),
        syntheaRecords(conformance.resolve("synthea/bundles")), seed, oneIn);
    Counts counts = population.write(out, patients);
    System.out.println(counts.patients() + " patients (" + counts.synthea()
        + " copies of Synthea records) written to " + out);
  }

  /** How many patients were written, and how many of them Synthea copies. */
  record Counts(long patients, long synthea) {}

  /**
   * Writes {@code patients} patients into {@code out}.
   *
   * @param out the export folder (made if missing)
   * @param patients how many
   * @return the counts
   * @throws IllegalArgumentException if {@code patients} is negative
   */
  Counts write(Path out, long patients) {
    if (patients < 0) {
      throw new IllegalArgumentException("PATIENTS must be 0 or more: " + patients);
    }
    long syntheaCopies = 0;
    try (BulkLayout layout = new BulkLayout(out, true, LINES_PER_FILE)) {
      for (long n = 0; n < patients; n++) {
        // A generator of its own per patient: patient n is the same whatever N is.
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + n);
        boolean fromSynthea = syntheaOneIn > 0 && random.nextInt(syntheaOneIn) == 0;
        List<Source> pool = fromSynthea ? synthea : deckCases;
        Source source = pool.get(random.nextInt(pool.size()));
        int days = random.nextInt(2 * MOST_DAYS_SHIFTED + 1) - MOST_DAYS_SHIFTED;
        layout.add(copy(source, days), "p" + n + "-", source.deckCase());
        syntheaCopies += fromSynthea ? 1 : 0;
      }
    }
    return new Counts(patients, syntheaCopies);
  }

  /** The source's documents, parsed afresh, without MeasureReports, dates moved by days. */
  static List<JsonNode> copy(Source source, int days) {
    List<JsonNode> documents = new ArrayList<>();
    for (byte[] bytes : source.documents()) {
      JsonNode document;
      try {
        document = JSON.readTree(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(source.name() + ": not JSON", e);
      }
      if (document.path("resourceType").asText().equals("MeasureReport")) {
        continue;
      }
      shiftDates(document, days);
      documents.add(document);
    }
    return documents;
  }

  /** Moves every date (a date, or a dateTime or instant's day) under {@code node} by days. */
  static void shiftDates(JsonNode node, int days) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode value = field.getValue();
        if (value.isTextual()) {
          String key = field.getKey();
          String text = value.asText();
          if (!NOT_DATES.contains(key) && (DATE.matcher(text).matches()
              || PARTIAL_DATE.matcher(text).matches() && dateField(key))) {
            field.setValue(TextNode.valueOf(shifted(text, days)));
          }
        } else {
          shiftDates(value, days);
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(child -> shiftDates(child, days));
    }
  }

  /** Whether a field of this name holds a FHIR date, dateTime or instant. */
  static boolean dateField(String name) {
    return name.endsWith("Date") || name.endsWith("DateTime") || DATE_FIELDS.contains(name);
  }

  /**
   * {@code text} with its date moved by days, when it is a date; else as it is. A full date, or
   * a dateTime or instant, moves its day and keeps its time and offset. A partial date keeps its
   * precision and moves as the first day of its period does: {@code 2019} by -1 day is {@code
   * 2018} (2019-01-01 - 1 = 2018-12-31), by +364 still {@code 2019}; {@code 2019-03} by +31 is
   * {@code 2019-04}, by -1 {@code 2019-02}; {@code 2024-02} by +29 (a leap February) {@code
   * 2024-03}, {@code 2023-02} by +28 {@code 2023-03}. So the same shift moves a partial date to
   * the period that holds the shifted first day, and records copied with one shift keep the
   * order of their dates at the partial date's precision.
   *
   * @param text the text
   * @param days the days to move by, either way
   * @return the moved date, or {@code text} when it is not a date
   */
  static String shifted(String text, int days) {
    Matcher partial = PARTIAL_DATE.matcher(text);
    if (partial.matches()) {
      int year = Integer.parseInt(partial.group(1));
      int month = partial.group(2) == null ? 1 : Integer.parseInt(partial.group(2));
      if (month < 1 || month > 12) {
        return text;
      }
      LocalDate first = LocalDate.of(year, month, 1).plusDays(days);
      if (first.getYear() < 1 || first.getYear() > 9999) {
        return text;
      }
      return partial.group(2) == null ? String.format("%04d", first.getYear())
          : String.format("%04d-%02d", first.getYear(), first.getMonthValue());
    }
    Matcher m = DATE.matcher(text);
    if (!m.matches()) {
      return text;
    }
    try {
      String rest = m.group(2) == null ? "" : m.group(2);
      return LocalDate.parse(m.group(1)).plusDays(days) + rest;
    } catch (DateTimeParseException e) {
      return text;
    }
  }

  /** Every test-deck case folder (measure folder / case folder) with its JSON files, sorted. */
  static List<Source> deckCases(Path tests) throws IOException {
    List<Source> cases = new ArrayList<>();
    List<Path> folders;
    try (Stream<Path> walk = Files.walk(tests, 2)) {
      folders = walk.filter(p -> p.getNameCount() == tests.getNameCount() + 2)
          .filter(Files::isDirectory).sorted().toList();
    }
    for (Path folder : folders) {
      List<byte[]> documents = new ArrayList<>();
      try (Stream<Path> list = Files.list(folder)) {
        for (Path file : list.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
          documents.add(Files.readAllBytes(file));
        }
      }
      cases.add(new Source(tests.relativize(folder).toString(), documents, true));
    }
    return cases;
  }

  /** Every Synthea bundle, sorted by name; none when the folder is missing. */
  static List<Source> syntheaRecords(Path bundles) throws IOException {
    if (!Files.isDirectory(bundles)) {
      return List.of();
    }
    List<Source> records = new ArrayList<>();
    try (Stream<Path> list = Files.list(bundles)) {
      for (Path file : list.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        records.add(new Source(file.getFileName().toString(), List.of(Files.readAllBytes(file)),
            false));
      }
    }
    return records;
  }
}
