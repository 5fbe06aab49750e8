package io.github.cdsengine.governance;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for a test class ({@link PostgresServer#startForTests}: skipped where
 * PostgreSQL is not installed, failed then under CI), stopped after the class, and a new
 * database for each test. Register it as a static field with {@code @RegisterExtension}.
 */
public final class PostgresDatabases
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

  private final String tests;
  private PostgresServer server;
  private String url;

  /**
   * A server for the tests named {@code tests}.
   *
   * @param tests what needs the server, for the failure message under CI
   */
  public PostgresDatabases(String tests) {
    this.tests = tests;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server = PostgresServer.startForTests(tests);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    url = server.createDatabase();
  }

  /**
   * The server.
   *
   * @return the running server
   */
  public PostgresServer server() {
    return server;
  }

  /**
   * The JDBC URL of the current test's database.
   *
   * @return the URL, with user and password
   */
  public String url() {
    return url;
  }
}
