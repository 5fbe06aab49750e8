package io.github.cdsengine.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaStaticInitializer;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.lang.reflect.Executable;
import java.lang.reflect.Parameter;
import java.util.Arrays;

/**
 * The most parameters a method or constructor of main code may declare, as an ArchUnit rule that
 * each module with main code checks on its own classes. Where more values travel together, they
 * are a small named record.
 *
 * <p>Parameters are counted as written in the source: an enum constructor's name and ordinal and
 * an inner class's enclosing instance, which the compiler adds, are not counted; methods the
 * compiler generates (lambda bodies, bridges) are not checked. Main code is compiled with
 * {@code -parameters}, which records which parameters the compiler added.
 */
public final class ParameterLimit {

  /** The most parameters a method or constructor may declare. */
  public static final int MAX = 6;

  private ParameterLimit() {}

  /**
   * The main (not test) classes of the given packages and their subpackages.
   *
   * @param packages the packages to import, e.g. {@code io.github.cdsengine.rules}
   * @return the classes, as ArchUnit imports them
   */
  public static JavaClasses mainClasses(String... packages) {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(packages);
  }

  /**
   * The rule: no method or constructor declares more than {@link #MAX} parameters, except those
   * {@code exempt}.
   *
   * @param exempt the methods and constructors allowed more, with a description of why
   * @return the rule, to check on {@link #mainClasses}
   */
  public static ArchRule atMostSixParameters(DescribedPredicate<? super JavaCodeUnit> exempt) {
    return codeUnits().that(DescribedPredicate.not(exempt))
        .should(declareAtMost(MAX))
        .because("values that travel together form a small named record");
  }

  /**
   * The rule with no exception.
   *
   * @return the rule, to check on {@link #mainClasses}
   */
  public static ArchRule atMostSixParameters() {
    return atMostSixParameters(DescribedPredicate.alwaysFalse());
  }

  /**
   * How many parameters {@code unit} declares in its source, or -1 when the compiler generated
   * it.
   *
   * @param unit a method or constructor
   * @return the number of declared parameters
   */
  public static int declaredParameters(JavaCodeUnit unit) {
    Executable executable = (Executable) unit.reflect();
    if (executable.isSynthetic()) {
      return -1;
    }
    // A record's canonical constructor parameters are "implicit" (mandated), yet each is a
    // component written in the source; an inner class's enclosing instance is implicit too.
    boolean record = executable.getDeclaringClass().isRecord();
    return (int) Arrays.stream(executable.getParameters())
        .filter(p -> !p.isSynthetic() && (record || !p.isImplicit()))
        .count();
  }

  private static ArchCondition<JavaCodeUnit> declareAtMost(int max) {
    return new ArchCondition<>("declare at most " + max + " parameters") {
      @Override
      public void check(JavaCodeUnit unit, ConditionEvents events) {
        if (unit instanceof JavaStaticInitializer) {
          return;
        }
        int count = declaredParameters(unit);
        if (count > max) {
          events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " declares "
              + count + " parameters, more than " + max));
        }
      }
    };
  }
}
