package io.github.cdsengine.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.fhir.FhirData;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.model.PatientRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput, in MB/s and resources/s, of reading Synthea FHIR bundles into patient records with
 * {@link FhirReader}, beside plain Jackson {@code readTree} of the same bytes (the floor).
 *
 * <p>The bundles are read in place from {@code synthea/bundles} in the conformance folder, the
 * system property {@code cds.conformance} (default {@code ../shared/conformance} from the current
 * directory; {@code mvn exec:exec} passes the project's setting). Every regular file of that
 * folder is loaded into memory once; each call reads the next bundle, in file-name order, so
 * every pass covers the whole corpus. Besides ops/s (bundles/s) each method reports two counters
 * per second: {@code megabytes} (10<sup>6</sup> bytes of JSON) and {@code resources} (Bundle
 * entries, counted once with Jackson at setup).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FhirReadBenchmark {

  /** The system property naming the conformance folder. */
  static final String PROPERTY = "cds.conformance";

  /** The conformance folder when the property is not set, from the current directory. */
  static final String DEFAULT_FOLDER = "../shared/conformance";

  /** Where the bundles are inside the conformance folder. */
  static final String BUNDLES = "synthea/bundles";

  /** The bundles' bytes and what they hold, loaded once and shared by all threads. */
  @State(Scope.Benchmark)
  public static class Corpus {
    final FhirReader reader = FhirReader.create();
    final ObjectMapper jackson = new ObjectMapper();
    String[] names;
    byte[][] bundles;
    /** Bundle entries of each bundle. */
    int[] resources;
    long totalBytes;
    long totalResources;
    long totalPatients;

    /** Loads every regular file of the bundle folder and counts its entries with Jackson. */
    @Setup(Level.Trial)
    public void load() throws IOException {
      Path folder = bundleFolder();
      List<Path> files;
      // Some upstream names end in .json" (with a quote): take every regular file.
      try (Stream<Path> listing = Files.list(folder)) {
        files = listing.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
      }
      if (files.isEmpty()) {
        throw new IllegalStateException("no files in " + folder + " (from -D" + PROPERTY + ")");
      }
      names = new String[files.size()];
      bundles = new byte[files.size()][];
      resources = new int[files.size()];
      for (int i = 0; i < files.size(); i++) {
        Path file = files.get(i);
        names[i] = file.getFileName().toString();
        bundles[i] = Files.readAllBytes(file);
        JsonNode root = jackson.readTree(bundles[i]);
        if (!"Bundle".equals(root.path("resourceType").asText())
            || !root.path("entry").isArray()) {
          throw new IllegalStateException(file + " is not a Bundle with entries");
        }
        resources[i] = root.get("entry").size();
        for (JsonNode entry : root.get("entry")) {
          if ("Patient".equals(entry.path("resource").path("resourceType").asText())) {
            totalPatients++;
          }
        }
        totalBytes += bundles[i].length;
        totalResources += resources[i];
      }
      System.out.printf("%nCorpus %s: %d files, %.1f MB, %d resources (Bundle entries),"
          + " %d patients%n", folder, bundles.length, totalBytes / 1e6, totalResources,
          totalPatients);
    }

    /**
     * The bundle folder from {@code -Dcds.conformance}.
     *
     * @throws IllegalStateException naming the property and the path tried when it is absent
     */
    static Path bundleFolder() {
      String setting = System.getProperty(PROPERTY);
      String conformance = setting == null ? DEFAULT_FOLDER : setting;
      Path folder = Path.of(conformance).toAbsolutePath().normalize().resolve(BUNDLES);
      if (!Files.isDirectory(folder)) {
        throw new IllegalStateException("Synthea bundles not found at " + folder + ": the system"
            + " property " + PROPERTY + " is "
            + (setting == null ? "not set, so the default " + DEFAULT_FOLDER + " was taken from"
                + " the current directory " + Path.of("").toAbsolutePath() : "'" + setting + "'")
            + "; set -D" + PROPERTY + "=DIR to the conformance folder that holds " + BUNDLES);
      }
      return folder;
    }
  }

  /**
   * One thread's place in the corpus and what it has read: JMH divides each counter by the
   * iteration's time, so they come out as MB/s and resources/s.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Volume {
    private int next;
    /** Megabytes (10<sup>6</sup> bytes) of JSON read. */
    public double megabytes;
    /** Bundle entries read. */
    public long resources;

    /** Counts from zero in each iteration. */
    @Setup(Level.Iteration)
    public void reset() {
      megabytes = 0;
      resources = 0;
    }

    /** The index of the next bundle, counting its bytes and resources as read. */
    int take(Corpus corpus) {
      int i = next;
      next = i + 1 == corpus.bundles.length ? 0 : i + 1;
      megabytes += corpus.bundles[i].length / 1e6;
      resources += corpus.resources[i];
      return i;
    }
  }

  /** {@link FhirReader} reads one bundle into patient records. */
  @Benchmark
  public void fhirReader(Corpus corpus, Volume volume, Blackhole blackhole) {
    int i = volume.take(corpus);
    FhirData data = corpus.reader.read(new ByteArrayInputStream(corpus.bundles[i]),
        corpus.names[i]);
    for (PatientRecord patient : data.patients()) {
      blackhole.consume(patient);
    }
  }

  /** The floor: plain Jackson parses the same bundle into a tree. */
  @Benchmark
  public JsonNode jacksonReadTree(Corpus corpus, Volume volume) {
    try {
      return corpus.jackson.readTree(corpus.bundles[volume.take(corpus)]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
