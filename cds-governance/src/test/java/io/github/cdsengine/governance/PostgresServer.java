package io.github.cdsengine.governance;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, started from the installed binaries (Debian's {@code
 * postgresql} package: {@code /usr/lib/postgresql/VERSION/bin}, or {@code initdb} on the PATH) in
 * a temporary folder, on a free port of 127.0.0.1, with password authentication
 * (SCRAM-SHA-256). As root the server runs as the {@code postgres} user, as PostgreSQL requires.
 * Public for the command line's feedback report tests (cds-examples uses this module's test jar).
 */
public final class PostgresServer implements AutoCloseable {

  /** The server's user. */
  public static final String USER = "cds";

  private final Path bin;
  private final Path base;
  private final Path data;
  private final boolean asPostgres;
  private final String password = UUID.randomUUID().toString();
  private final int port;

  private PostgresServer(Path bin, Path base, boolean asPostgres, int port) {
    this.bin = bin;
    this.base = base;
    this.data = base.resolve("data");
    this.asPostgres = asPostgres;
    this.port = port;
  }

  /** The folder of {@code initdb} and {@code pg_ctl}, if PostgreSQL is installed. */
  public static Optional<Path> binaries() {
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Optional<Path> newest = versions.map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("initdb")))
            .max(Comparator.comparing(b -> version(b.getParent().getFileName().toString())));
        if (newest.isPresent()) {
          return newest;
        }
      } catch (IOException e) {
        // Look on the PATH.
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path initdb = Path.of(dir, "initdb");
      if (!dir.isEmpty() && Files.isExecutable(initdb) && Files.isExecutable(
          Path.of(dir, "pg_ctl"))) {
        return Optional.of(Path.of(dir));
      }
    }
    return Optional.empty();
  }

  private static int version(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Starts a server for the tests named by {@code tests}, from {@link #binaries()}. Where
   * PostgreSQL is not installed the calling test is skipped, unless the environment variable
   * {@code CI} is set (and not {@code false}): then it fails, so a CI run never passes without
   * the PostgreSQL tests.
   *
   * @param tests what needs the server, for the failure message, e.g. "the PostgreSQL store tests"
   * @return the running server
   * @throws IOException if the cluster cannot be made
   * @throws InterruptedException if interrupted while it starts
   */
  public static PostgresServer startForTests(String tests)
      throws IOException, InterruptedException {
    Optional<Path> bin = binaries();
    if (bin.isEmpty()) {
      String why = "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on "
          + "the PATH): apt-get install postgresql";
      String ci = System.getenv("CI");
      if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
        org.junit.jupiter.api.Assertions.fail("CI is set, so " + tests + " are required: " + why);
      }
      org.junit.jupiter.api.Assumptions.assumeTrue(false, why);
    }
    return start(bin.get());
  }

  /** Creates a cluster in a new temporary folder and starts it. */
  public static PostgresServer start(Path bin) throws IOException, InterruptedException {
    boolean root = "root".equals(System.getProperty("user.name"));
    Path base = Files.createTempDirectory("cds-postgres-");
    PostgresServer server = new PostgresServer(bin, base, root, freePort());
    try {
      server.init();
      server.up();
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void init() throws IOException, InterruptedException {
    Path passwordFile = base.resolve("password");
    Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
    if (asPostgres) {
      UserPrincipal postgres = base.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByName("postgres");
      Files.setOwner(base, postgres);
      Files.setOwner(passwordFile, postgres);
    }
    run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
        "--pwfile=" + passwordFile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C",
        "--no-sync"));
  }

  /** Starts the server on its cluster and waits until it accepts connections. */
  void up() throws IOException, InterruptedException {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
        base.resolve("log").toString(), "-w", "-t", "60", "-o",
        "-p " + port + " -k " + base + " -c listen_addresses=127.0.0.1", "start"));
  }

  /**
   * Stops the server as a crash would: {@code pg_ctl stop -m immediate} ends every server
   * process at once, with no checkpoint; the next start recovers from the write-ahead log.
   */
  void crash() throws IOException, InterruptedException {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
        "-w", "stop"));
  }

  /** A new, empty database; its JDBC URL with the user and password. */
  public String createDatabase() throws SQLException {
    String name = "feedback_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection admin = DriverManager.getConnection(url("postgres"));
        Statement create = admin.createStatement()) {
      create.execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  /** The URL of a database without credentials. */
  String bareUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  private String url(String database) {
    return bareUrl(database) + "?user=" + USER + "&password=" + password;
  }

  @Override
  public void close() {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
            "-w", "stop"));
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // Best effort: the folder is removed below either way.
    }
    try (Stream<Path> files = Files.walk(base)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary folder left behind.
    }
  }

  private void run(List<String> command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>();
    if (asPostgres) {
      line.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    line.addAll(command);
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      String log = Files.exists(base.resolve("log")) ? Files.readString(base.resolve("log"))
          : "";
      throw new IOException(String.join(" ", command) + " failed:\n" + output + log);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
