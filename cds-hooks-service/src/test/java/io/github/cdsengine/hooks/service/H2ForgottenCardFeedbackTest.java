package io.github.cdsengine.hooks.service;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Feedback on forgotten cards with the embedded store: an H2 file in a temporary folder. */
class H2ForgottenCardFeedbackTest extends ForgottenCardFeedbackContract {

  @TempDir
  Path folder;

  @Override
  String storeLocation() {
    return folder.resolve("cds-feedback").toString();
  }
}
