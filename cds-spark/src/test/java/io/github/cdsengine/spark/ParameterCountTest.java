package io.github.cdsengine.spark;

import io.github.cdsengine.core.architecture.ParameterLimit;
import org.junit.jupiter.api.Test;

/**
 * No method or constructor of cds-spark's main code declares more than six parameters
 * ({@link ParameterLimit}); there is no exception here.
 */
class ParameterCountTest {

  @Test
  void noMethodOrConstructorDeclaresMoreThanSixParameters() {
    ParameterLimit.atMostSixParameters()
        .check(ParameterLimit.mainClasses("io.github.cdsengine.spark"));
  }
}
