package io.github.cdsengine.core.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Where the conformance material is: the system property {@code cds.conformance}.
 *
 * <p>A test whose material is missing is skipped, saying where it looked, so the project builds
 * on a machine without {@code ../shared}; but where the environment variable {@code CI} is set
 * (as CI sets it, and {@code .ci/run} runs under it) missing material fails the test instead, so
 * a run that checked nothing cannot pass as green.
 */
public final class Conformance {

  private Conformance() {}

  /** Whether missing material fails tests instead of skipping them: {@code CI} is set. */
  public static boolean required() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
  }

  /**
   * Skips the calling test, or fails it where material is {@linkplain #required() required},
   * unless {@code present}.
   *
   * @param why what is missing and where it was looked for
   */
  public static void assumePresent(boolean present, String why) {
    if (!present && required()) {
      fail("CI is set, so conformance material is required: " + why);
    }
    assumeTrue(present, why);
  }

  /** The conformance folder's {@code sub} directory, if it is there. */
  public static Optional<Path> find(String sub) {
    String setting = System.getProperty("cds.conformance", "../shared/conformance");
    Path dir = Path.of(setting).toAbsolutePath().normalize().resolve(sub);
    return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
  }

  /** The {@code sub} directory; skips the calling test, saying why, when it is not there. */
  public static Path directory(String sub) {
    Optional<Path> dir = find(sub);
    assumePresent(dir.isPresent(), dir.isPresent() ? "" : missing(sub));
    return dir.get();
  }

  /** One skipped test that says the {@code sub} directory is missing, for test factories. */
  public static Stream<DynamicTest> skipped(String sub) {
    return Stream.of(DynamicTest.dynamicTest("conformance material " + sub,
        () -> assumePresent(false, missing(sub))));
  }

  /** Every {@code .json} file under {@code dir}, at any depth, sorted by path. */
  public static List<Path> jsonFiles(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String missing(String sub) {
    return "conformance material not found at "
        + Path.of(System.getProperty("cds.conformance", "../shared/conformance"))
            .toAbsolutePath().normalize().resolve(sub)
        + "; it lives in ../shared/conformance beside the checkout, or set -Dcds.conformance=DIR";
  }
}
