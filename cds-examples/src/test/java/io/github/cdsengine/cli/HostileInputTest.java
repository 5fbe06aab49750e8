package io.github.cdsengine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line given hostile or odd input: every failure is one line on standard error with
 * its exit code, never a stack trace (unless {@code --verbose}), never a raw control character,
 * never a hang.
 */
class HostileInputTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A shipped pack that builds quickly and needs no value sets. */
  private static final String SMALL_PACK = "uspstf-colorectal-cancer-screening";
  private static final String PATIENT = "{\"resourceType\": \"Patient\", \"id\": \"%s\", "
      + "\"birthDate\": \"1970-01-01\", \"gender\": \"female\"}";

  /** A command that fails as no command expects, to reach the handler of unexpected errors. */
  @Command(name = "fail")
  static final class Failing implements Callable<Integer> {
    private final Throwable failure;

    Failing(Throwable failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() throws Exception {
      if (failure instanceof Error error) {
        throw error;
      }
      throw (Exception) failure;
    }
  }

  private static Cli.Result runFailing(Throwable failure, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = CdsCli.commandLine(Clock.fixed(Cli.NOW, ZoneOffset.UTC));
    commandLine.addSubcommand("fail", new Failing(failure));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new Cli.Result(code, out.toString(), err.toString());
  }

  private static void assertOneLine(Cli.Result result, int exitCode) {
    assertThat(result.exitCode()).as(result.err()).isEqualTo(exitCode);
    assertThat(result.errLines()).as(result.err()).hasSize(1);
    assertThat(result.err()).startsWith("cds").doesNotContain("\tat ")
        .doesNotContain("Exception");
  }

  // Unexpected failures

  @ParameterizedTest
  @ValueSource(strings = {"npe", "state", "checked", "stack", "memory"})
  void anUnexpectedFailureIsOneLineWithExitCode3AndNoMessage(String kind) {
    // Made here, so this method is where each was thrown.
    String secret = "Jane Doe, born 1970-01-01";
    Throwable failure = switch (kind) {
      case "npe" -> new NullPointerException(secret);
      case "state" -> new IllegalStateException(secret);
      case "checked" -> new java.io.IOException(secret);
      case "stack" -> new StackOverflowError(secret);
      default -> new OutOfMemoryError(secret);
    };
    Cli.Result result = runFailing(failure, "fail");
    assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
    assertThat(result.errLines()).as(result.err()).hasSize(1);
    assertThat(result.err()).startsWith("cds fail: internal error: "
        + failure.getClass().getName() + " in HostileInputTest.")
        .contains("--verbose").doesNotContain("Jane").doesNotContain("\tat ");
  }

  @Test
  void verboseIsGlobalAndAddsTheTrace() {
    Cli.Result before = runFailing(new IllegalStateException("x"), "--verbose", "fail");
    Cli.Result after = runFailing(new StackOverflowError(), "fail", "--verbose");
    for (Cli.Result result : List.of(before, after)) {
      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.errLines().get(0)).contains("internal error");
      assertThat(result.err()).contains("\tat ");
    }
  }

  // Deep nesting

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fhir.json", "hooks.json", "scenario.json", "unknown.json",
      "array.json", "bulk.ndjson"})
  void jsonNestedTooDeepIsAnInputErrorNamingTheFileAndDepth(String name, @TempDir Path dir)
      throws Exception {
    String deep = nested(100_000);
    String content = switch (name) {
      case "fhir.json" -> "{\"resourceType\": \"Patient\", \"id\": \"p\", \"extension\": " + deep
          + "}";
      case "hooks.json" -> "{\"hook\": \"patient-view\", \"hookInstance\": \"h\", "
          + "\"context\": " + deep + "}";
      case "scenario.json" -> "{\"name\": \"deep\", \"fhir\": " + deep + "}";
      case "unknown.json" -> "{\"something\": " + deep + "}";
      case "array.json" -> deep;
      default -> String.format(PATIENT, "p") + "\n{\"resourceType\": \"Observation\", "
          + "\"id\": \"o\", \"note\": " + deep + "}\n";
    };
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    Cli.Result result = Cli.run("run", "--pack", SMALL_PACK, "--at", "2025-06-15", file.toString());
    assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
    assertThat(result.err()).doesNotContain("\tat ").doesNotContain("NullPointer")
        .contains(name);
    if (!name.equals("array.json")) {
      assertThat(result.err()).containsIgnoringCase("depth");
    }
  }

  @Test
  void batchSkipsADeeplyNestedFileAsAnInputError(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    Files.writeString(in.resolve("a-deep.json"), "{\"resourceType\": \"Bundle\", \"entry\": "
        + nested(100_000) + "}");
    Files.writeString(in.resolve("b-ok.json"), String.format(PATIENT, "ok"));
    Cli.Result result = Cli.run("batch", "--pack", SMALL_PACK, "--at", "2025-06-15", "--out",
        dir.resolve("out").toString(), in.toString());
    assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
    assertThat(result.out()).contains("1 patients evaluated, 1 inputs with errors");
    assertThat(result.err()).contains("a-deep.json").containsIgnoringCase("depth")
        .doesNotContain("\tat ");
  }

  // Folders with no patient files

  @ParameterizedTest
  @ValueSource(strings = {"run", "batch", "test"})
  void aFolderWithNoPatientFilesIsAUsageError(String command, @TempDir Path dir)
      throws Exception {
    Path empty = dir.resolve("empty");
    Files.createDirectories(empty.resolve("sub"));
    Files.writeString(empty.resolve("notes.txt"), "not a patient");
    List<String> args = new java.util.ArrayList<>(List.of(command, "--pack", SMALL_PACK));
    if (command.equals("batch")) {
      args.addAll(List.of("--out", dir.resolve("out").toString()));
    }
    args.add(empty.toString());
    Cli.Result result = Cli.run(args);
    assertOneLine(result, 2);
    assertThat(result.err()).contains("no .json or .ndjson files").contains(empty.toString());
    assertThat(dir.resolve("out").resolve("results.ndjson")).doesNotExist();
  }

  // Threads

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "-2147483648", "257", "100000"})
  void threadsOutOfRangeAreAUsageError(String threads, @TempDir Path dir) {
    Cli.Result result = Cli.run("batch", "--threads", threads, "--out",
        dir.resolve("out").toString(), "examples/patients");
    assertOneLine(result, 2);
    assertThat(result.err()).contains("--threads must be from 1 to " + BatchCommand.MAX_THREADS
        + ": " + threads);
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void threadsBeyondAnIntAreAUsageError(@TempDir Path dir) {
    Cli.Result result = Cli.run("batch", "--threads", "99999999999", "--out",
        dir.resolve("out").toString(), "examples/patients");
    assertOneLine(result, 2);
    assertThat(result.err()).contains("--threads");
  }

  // Devices, FIFOs and large files

  @ParameterizedTest
  @ValueSource(strings = {"/dev/zero", "/dev/urandom", "/dev/null"})
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aDeviceIsRefusedBeforeItIsRead(String device, @TempDir Path dir) {
    assumeTrue(Files.exists(Path.of(device)), device + " exists on this system");
    for (String command : List.of("run", "test", "batch")) {
      List<String> args = new java.util.ArrayList<>(List.of(command, "--pack", SMALL_PACK));
      if (command.equals("batch")) {
        args.addAll(List.of("--out", dir.resolve("out").toString()));
      }
      args.add(device);
      Cli.Result result = Cli.run(args);
      assertOneLine(result, 2);
      assertThat(result.err()).contains("not a regular file: " + device);
    }
    for (List<String> args : List.of(List.of("validate", device),
        List.of("run", "--rules", device, "examples/patients"),
        List.of("run", "--value-sets", device, "examples/patients"))) {
      Cli.Result result = Cli.run(args);
      assertOneLine(result, 2);
      assertThat(result.err()).contains("not a regular file: " + device);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aFifoIsRefusedWithoutBlocking(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("patients.json");
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    } catch (java.io.IOException e) {
      assumeTrue(false, "mkfifo is not available");
      return;
    }
    assumeTrue(mkfifo.waitFor() == 0 && Files.exists(fifo), "mkfifo made a FIFO");
    Cli.Result result = Cli.run("run", "--pack", SMALL_PACK, "--at", "2025-06-15", fifo.toString());
    assertOneLine(result, 2);
    assertThat(result.err()).contains("not a regular file").contains("FIFO");
  }

  @Test
  void aFileOverTheSizeLimitIsAnInputError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("big.json");
    Files.writeString(file, String.format(PATIENT, "p").replace("}",
        ", \"text\": {\"div\": \"" + "x".repeat(4096) + "\"}}"));
    Cli.Result small = Cli.run("run", "--pack", SMALL_PACK, "--max-input-size", "2K",
        "--at", "2025-06-15", file.toString());
    assertOneLine(small, 2);
    assertThat(small.err()).contains("big.json").contains("input size limit of 2048 bytes")
        .contains("--max-input-size");
    Cli.Result test = Cli.run("test", "--pack", SMALL_PACK, "--max-input-size", "2K",
        file.toString());
    assertThat(test.exitCode()).isEqualTo(1);
    assertThat(test.out()).contains("input size limit of 2048 bytes");
    Cli.Result enough = Cli.run("run", "--pack", SMALL_PACK, "--max-input-size", "1M",
        "--at", "2025-06-15", "--format", "json", file.toString());
    assertThat(enough.exitCode()).as(enough.err()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "lots", "5T", "99999999999999G"})
  void aBadSizeLimitIsAUsageError(String size) {
    Cli.Result result = Cli.run("run", "--max-input-size", size, "examples/patients");
    assertOneLine(result, 2);
    assertThat(result.err()).contains("--max-input-size");
  }

  // Two batch runs into one output directory

  @Test
  void aSecondBatchIntoAHeldOutputDirectoryIsRefused(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    Path lock = out.resolve(BatchCommand.LOCK_FILE);
    Files.writeString(lock, "pid 12345, started 2025-06-15T12:00:00Z\n");
    Cli.Result result = Cli.run("batch", "--pack", SMALL_PACK, "--at", "2025-06-15", "--out",
        out.toString(), "examples/patients");
    assertOneLine(result, 2);
    assertThat(result.err()).contains("another cds batch is writing to " + out)
        .contains("pid 12345").contains("delete the lock file");
    assertThat(lock).exists();
    assertThat(out.resolve("results.ndjson")).doesNotExist();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void twoConcurrentBatchRunsIntoOneOutputNeverInterleave(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Path lock = out.resolve(BatchCommand.LOCK_FILE);
    String[] args = {"batch", "--at", "2025-06-15", "--threads", "1", "--out", out.toString(),
        "examples/patients"};
    CompletableFuture<Cli.Result> first = CompletableFuture.supplyAsync(() -> Cli.run(args));
    // The first run holds the lock while it builds its engine and evaluates.
    while (!Files.exists(lock) && !first.isDone()) {
      Thread.sleep(5);
    }
    CompletableFuture<Cli.Result> second = CompletableFuture.supplyAsync(() -> Cli.run(args));
    Cli.Result one = first.get();
    Cli.Result two = second.get();
    assertThat(one.exitCode()).as(one.err()).isZero();
    assertOneLine(two, 2);
    assertThat(two.err()).contains("another cds batch is writing to");
    assertThat(lock).as("released at the end").doesNotExist();
    List<String> lines = Files.readAllLines(out.resolve("results.ndjson"));
    long patients = PatientInputs.files(List.of(Cli.PATIENTS)).size();
    assertThat(lines).hasSize((int) patients);
    for (String line : lines) {
      assertThat(JSON.readTree(line).path("result").path("patientId").asText()).isNotEmpty();
    }
    assertThat(Cli.run(args).exitCode()).as("the directory is free again").isZero();
  }

  // CSV injection

  @Test
  void batchCsvNeutralisesFormulaTextAndKeepsNumbers(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("patients.ndjson");
    Files.writeString(file, String.format(PATIENT, "-5").replace("1970-01-01", "1975-01-01")
        .replace("female", "male") + "\n");
    Path out = dir.resolve("out");
    Cli.Result result = Cli.run("batch", "--pack", "uspstf-colorectal-cancer-screening",
        "--at", "2025-06-15", "--out", out.toString(), file.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertThat(csv).hasSize(2);
    assertThat(csv.get(1)).startsWith("\"'-5\",").endsWith(",uspstf-crc-screening,shown,"
        + "warning,1");
    List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
    assertThat(summary).anySatisfy(row -> assertThat(row)
        .startsWith("uspstf-crc-screening,").endsWith(",all,all,1,1,1.0"));
  }

  // Control characters

  @Test
  void controlCharactersFromAnInputNeverReachTheTerminal(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("escape.json");
    Files.writeString(file, String.format(PATIENT, "p").replace("1970-01-01",
        "1970-01-01\\u001b[2J\\u0007\\u009b31m\\u202e"));
    Cli.Result result = Cli.run("run", "--pack", SMALL_PACK, "--at", "2025-06-15", file.toString());
    assertOneLine(result, 2);
    assertThat(result.err()).contains("birthDate").contains("\\u001B[2J\\u0007\\u009B31m\\u202E")
        .doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u009b")
        .doesNotContain("\u202e");
  }

  @Test
  void aFileNameWithControlCharactersIsEscaped(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad\u001b]0;title\u0007.json");
    try {
      Files.writeString(file, "{\"hello\": 1}");
    } catch (java.nio.file.InvalidPathException | java.io.IOException e) {
      assumeTrue(false, "the file system takes control characters in names");
    }
    Cli.Result result = Cli.run("run", "--pack", SMALL_PACK, "--at", "2025-06-15", file.toString());
    assertOneLine(result, 2);
    assertThat(result.err()).contains("bad\\u001B]0;title\\u0007.json")
        .doesNotContain("\u001b").doesNotContain("\u0007");
  }

  @Test
  void anIdWithControlCharactersIsRefusedAndNotEchoed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("id.json");
    Files.writeString(file, String.format(PATIENT, "p\\u001b[31m1"));
    Cli.Result result = Cli.run("run", "--pack", SMALL_PACK, "--at", "2025-06-15", file.toString());
    assertOneLine(result, 2);
    assertThat(result.err()).contains("id.json").contains("$.id").contains("not a FHIR id")
        .doesNotContain("\u001b");
  }
}
