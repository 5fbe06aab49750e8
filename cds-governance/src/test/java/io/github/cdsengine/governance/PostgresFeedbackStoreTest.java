package io.github.cdsengine.governance;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store's contract on a real PostgreSQL server started for these tests ({@link
 * PostgresServer}), a new database for each test. Where PostgreSQL is not installed the tests
 * are skipped with that reason, unless {@code CI} is set ({@code .ci/run} installs Debian's
 * {@code postgresql}): then they fail.
 */
class PostgresFeedbackStoreTest extends FeedbackStoreContract {

  @RegisterExtension
  static final PostgresDatabases DATABASES = new PostgresDatabases("the PostgreSQL store tests");

  @Override
  String location() {
    return DATABASES.url();
  }

  @Override
  String jdbcUrl() {
    return DATABASES.url();
  }

  @Override
  String[] wrongCredentials() {
    String url = DATABASES.url();
    String database = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
    return new String[] {DATABASES.server().bareUrl(database), PostgresServer.USER,
        "not-the-password"};
  }

  /** The server crashes too: stopped at once, with no checkpoint, then started again. */
  @Override
  void afterWriterKilled() throws Exception {
    DATABASES.server().crash();
    DATABASES.server().up();
  }
}
