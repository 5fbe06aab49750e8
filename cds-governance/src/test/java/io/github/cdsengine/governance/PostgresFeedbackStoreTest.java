package io.github.cdsengine.governance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The store's contract on a real PostgreSQL server started for these tests ({@link
 * PostgresServer}), a new database for each test. Where PostgreSQL is not installed the tests
 * are skipped with that reason, unless {@code CI} is set ({@code .ci/run} installs Debian's
 * {@code postgresql}): then they fail.
 */
class PostgresFeedbackStoreTest extends FeedbackStoreContract {

  private static PostgresServer server;
  private String url;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.startForTests("the PostgreSQL store tests");
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
  String location() {
    return url;
  }

  @Override
  String jdbcUrl() {
    return url;
  }

  @Override
  String[] wrongCredentials() {
    String database = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
    return new String[] {server.bareUrl(database), PostgresServer.USER, "not-the-password"};
  }

  /** The server crashes too: stopped at once, with no checkpoint, then started again. */
  @Override
  void afterWriterKilled() throws Exception {
    server.crash();
    server.up();
  }
}
