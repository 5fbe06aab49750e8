package io.github.cdsengine.benchmarks;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;

import io.github.cdsengine.core.architecture.ParameterLimit;
import org.junit.jupiter.api.Test;

/**
 * No method or constructor of cds-benchmarks' main code declares more than six parameters
 * ({@link ParameterLimit}); there is no exception here. The harness that JMH's annotation
 * processor generates into {@code jmh_generated} is not this module's code and is not checked.
 */
class ParameterCountTest {

  @Test
  void noMethodOrConstructorDeclaresMoreThanSixParameters() {
    ParameterLimit.atMostSixParameters()
        .check(ParameterLimit.mainClasses("io.github.cdsengine.benchmarks")
            .that(resideOutsideOfPackage("..jmh_generated..")));
  }
}
