package io.github.cdsengine.cli;

import io.github.cdsengine.core.architecture.ParameterLimit;
import org.junit.jupiter.api.Test;

/**
 * No method or constructor of cds-examples's main code declares more than six parameters
 * ({@link ParameterLimit}); there is no exception here.
 */
class ParameterCountTest {

  @Test
  void noMethodOrConstructorDeclaresMoreThanSixParameters() {
    // Reflection over ParquetResults' methods needs Hadoop's API classes: the build's
    // parquet-read-back execution has them, the others skip.
    org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("cds.parquetReadBack"),
        "run in the parquet-read-back execution, with Hadoop's API classes");
    ParameterLimit.atMostSixParameters()
        .check(ParameterLimit.mainClasses("io.github.cdsengine.cli"));
  }
}
