package io.github.cdsengine.hooks.service;

import io.github.cdsengine.governance.PostgresServer;
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
    server = PostgresServer.startForTests("the PostgreSQL forgotten-card tests");
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
