package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.cdsengine.governance.PostgresServer;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Feedback on forgotten cards with the store on a real PostgreSQL server started for these tests
 * ({@link PostgresServer}), a new database for each test. Skipped where PostgreSQL is not
 * installed, unless {@code CI} is set: then they fail.
 */
class PostgresForgottenCardFeedbackTest extends ForgottenCardFeedbackContract {

  private static PostgresServer server;
  private String url;

  @BeforeAll
  static void startServer() throws Exception {
    Optional<Path> bin = PostgresServer.binaries();
    if (bin.isEmpty()) {
      String why = "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on "
          + "the PATH): apt-get install postgresql";
      String ci = System.getenv("CI");
      if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
        fail("CI is set, so the PostgreSQL tests are required: " + why);
      }
      assumeTrue(false, why);
    }
    server = PostgresServer.start(bin.get());
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void createDatabase() throws Exception {
    url = server.createDatabase();
  }

  @Override
  String storeLocation() {
    return url;
  }
}
