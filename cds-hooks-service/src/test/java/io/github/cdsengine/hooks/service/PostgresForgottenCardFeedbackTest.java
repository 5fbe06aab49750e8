package io.github.cdsengine.hooks.service;

import io.github.cdsengine.governance.PostgresDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Feedback on forgotten cards with the store on a real PostgreSQL server started for these tests
 * ({@link PostgresDatabases}), a new database for each test. Skipped where PostgreSQL is not
 * installed, unless {@code CI} is set: then they fail.
 */
class PostgresForgottenCardFeedbackTest extends ForgottenCardFeedbackContract {

  @RegisterExtension
  static final PostgresDatabases DATABASES =
      new PostgresDatabases("the PostgreSQL forgotten-card tests");

  @Override
  String storeLocation() {
    return DATABASES.url();
  }
}
