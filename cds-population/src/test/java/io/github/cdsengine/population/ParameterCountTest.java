package io.github.cdsengine.population;

import io.github.cdsengine.core.architecture.ParameterLimit;
import org.junit.jupiter.api.Test;

/**
 * No method or constructor of cds-population's main code declares more than six parameters
 * ({@link ParameterLimit}); there is no exception here.
 */
class ParameterCountTest {

  @Test
  void noMethodOrConstructorDeclaresMoreThanSixParameters() {
    ParameterLimit.atMostSixParameters()
        .check(ParameterLimit.mainClasses("io.github.cdsengine.population"));
  }
}
