package io.github.cdsengine.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure of the engine's main code, checked on its compiled classes (ArchUnit):
 * no package cycles, and each room depending only on those below it.
 */
class PackageStructureTest {

  private static final String CORE = "io.github.cdsengine.core";
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(CORE);
  }

  @Test
  void noPackageDependsOnItselfThroughAnother() {
    slices().matching("io.github.cdsengine.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theApiPackagesDependOnNothingThatIsDrools() {
    noClasses().that().resideInAnyPackage(CORE, CORE + ".evaluation", CORE + ".problem",
            CORE + ".model", CORE + ".pack", CORE + ".hooks", CORE + ".fhir", CORE + ".json")
        .should().dependOnClassesThat().resideInAnyPackage("org.kie..", "org.drools..")
        .check(classes);
  }

  @Test
  void theEngineDoesNotReachBackToTheApiDoorOrTheInputAndOutputFormats() {
    noClasses().that().resideInAnyPackage(CORE + ".engine", CORE + ".policy", CORE + ".drl",
            CORE + ".pack", CORE + ".evaluation")
        .should().dependOnClassesThat().resideInAnyPackage(CORE, CORE + ".fhir",
            CORE + ".hooks", CORE + ".json", CORE + ".scenario")
        .check(classes);
  }

  /**
   * The packages the rule policy lets every rule file call (the fact model and the rule
   * vocabulary, terminology and units) reach nothing a rule may not: no engine, policy, pack,
   * input or output code, and nothing of Drools.
   */
  @Test
  void whatRulesMayCallReachesNothingRulesMayNot() {
    noClasses().that().resideInAnyPackage(CORE + ".model", CORE + ".rule",
            CORE + ".terminology", CORE + ".units")
        .should().dependOnClassesThat().resideInAnyPackage(CORE, CORE + ".engine",
            CORE + ".evaluation", CORE + ".pack", CORE + ".policy", CORE + ".drl",
            CORE + ".fhir", CORE + ".hooks", CORE + ".json", CORE + ".scenario",
            "org.kie..", "org.drools..")
        .check(classes);
  }

  @Test
  void problemsAreALeafEveryPackageMayUse() {
    noClasses().that().resideInAPackage(CORE + ".problem")
        .should().dependOnClassesThat().resideInAnyPackage(CORE + "..")
        .andShould().dependOnClassesThat().resideOutsideOfPackages(CORE + ".problem", "java..")
        .check(classes);
  }

  @Test
  void theFactModelDependsOnlyOnProblems() {
    noClasses().that().resideInAPackage(CORE + ".model")
        .should().dependOnClassesThat().resideInAnyPackage(CORE, CORE + ".engine",
            CORE + ".evaluation", CORE + ".pack", CORE + ".policy", CORE + ".drl", CORE + ".rule",
            CORE + ".fhir", CORE + ".hooks", CORE + ".json", CORE + ".scenario")
        .check(classes);
  }
}
