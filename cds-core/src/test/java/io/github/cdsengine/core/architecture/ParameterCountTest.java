package io.github.cdsengine.core.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaModifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No method or constructor of cds-core's main code declares more than six parameters
 * ({@link ParameterLimit}), with one exception: the canonical constructor of a public record in
 * the public data packages ({@code model}, {@code evaluation}, {@code hooks}, {@code pack},
 * {@code scenario}). Those records are the fact model and the result shapes that mirror FHIR
 * resources and CDS Hooks cards; rules read their components, and a record's canonical
 * constructor cannot be hidden.
 */
class ParameterCountTest {

  private static final String CORE = "io.github.cdsengine.core";
  private static final Set<String> DATA_PACKAGES = Set.of(CORE + ".model", CORE + ".evaluation",
      CORE + ".hooks", CORE + ".pack", CORE + ".scenario");

  private static final DescribedPredicate<JavaCodeUnit>
      CANONICAL_CONSTRUCTOR_OF_PUBLIC_DATA_RECORD = DescribedPredicate.describe("the canonical constructor of a public record in "
          + DATA_PACKAGES, ParameterCountTest::canonicalConstructorOfPublicDataRecord);

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = ParameterLimit.mainClasses(CORE);
  }

  @Test
  void noMethodOrConstructorDeclaresMoreThanSixParameters() {
    ParameterLimit.atMostSixParameters(CANONICAL_CONSTRUCTOR_OF_PUBLIC_DATA_RECORD)
        .check(classes);
  }

  @Test
  void theExceptionCoversOnlyCanonicalConstructorsOfPublicDataRecords() {
    JavaClass patient = classes.get(CORE + ".model.Patient");
    assertThat(patient.getConstructors()).anyMatch(CANONICAL_CONSTRUCTOR_OF_PUBLIC_DATA_RECORD);
    // A package-private record of the engine is checked like any other class.
    JavaClass ruleBase = classes.get(CORE + ".engine.RuleBase");
    assertThat(ruleBase.getConstructors())
        .noneMatch(CANONICAL_CONSTRUCTOR_OF_PUBLIC_DATA_RECORD);
  }

  @Test
  void parametersAreCountedAsDeclared() {
    // A record's canonical constructor: one parameter per component.
    JavaClass period = classes.get(CORE + ".rule.MeasurementPeriod");
    assertThat(period.getConstructors()).extracting(ParameterLimit::declaredParameters)
        .contains(3);
    // An enum's constructor: its name and ordinal, added by the compiler, are not counted.
    JavaClass severity = classes.get(CORE + ".evaluation.Severity");
    assertThat(severity.getConstructors()).extracting(ParameterLimit::declaredParameters)
        .containsOnly(1);
  }

  private static boolean canonicalConstructorOfPublicDataRecord(JavaCodeUnit unit) {
    if (!(unit instanceof JavaConstructor constructor)) {
      return false;
    }
    Class<?> owner = constructor.getOwner().reflect();
    if (!owner.isRecord() || !DATA_PACKAGES.contains(owner.getPackageName())) {
      return false;
    }
    for (Class<?> c = owner; c != null; c = c.getEnclosingClass()) {
      if (!java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
        return false;
      }
    }
    Class<?>[] components = Arrays.stream(owner.getRecordComponents())
        .map(RecordComponent::getType).toArray(Class<?>[]::new);
    return Arrays.equals(constructor.reflect().getParameterTypes(), components)
        && constructor.getModifiers().contains(JavaModifier.PUBLIC);
  }
}
