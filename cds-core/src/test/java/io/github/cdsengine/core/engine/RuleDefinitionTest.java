package io.github.cdsengine.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.evaluation.EvidenceGrade.Strength;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.core.evaluation.Severity;
import io.github.cdsengine.core.evaluation.Category;
import io.github.cdsengine.core.evaluation.Guideline;
import io.github.cdsengine.core.evaluation.EvidenceGrade;

class RuleDefinitionTest {

  private static final String FILE = "rules/uspstf-crc-2021.drl";
  private static final int LINE = 17;
  private static final String NAME = "Screen adults 45 to 75";
  private static final String URL = "https://www.uspreventiveservicestaskforce.org/uspstf/"
      + "recommendation/colorectal-cancer-screening";

  private static final List<String> CITATION_KEYS =
      List.of("publisher", "guideline", "version", "url");

  private final List<RuleProblem> problems = new ArrayList<>();

  private static Map<String, Object> citation() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("publisher", "U.S. Preventive Services Task Force");
    metadata.put("guideline", "Colorectal Cancer: Screening");
    metadata.put("version", "2021-05-18");
    metadata.put("url", URL);
    return metadata;
  }

  private static Map<String, Object> recommending() {
    Map<String, Object> metadata = citation();
    metadata.put("recommendation", "uspstf-crc-screening");
    metadata.put("title", "Colorectal cancer screening");
    metadata.put("evidence", "USPSTF:A");
    metadata.put("category", "screening");
    metadata.put("severity", "warning");
    return metadata;
  }

  private RuleDefinition read(Map<String, Object> metadata) {
    return RuleDefinition.read(NAME, FILE, LINE, metadata, null, problems);
  }

  /** Reads metadata that must be refused, and returns the problems' messages. */
  private List<String> refused(Map<String, Object> metadata) {
    RuleDefinition definition = read(metadata);

    assertThat(definition).isNull();
    assertThat(problems).isNotEmpty().allSatisfy(problem -> {
      assertThat(problem.file()).isEqualTo(FILE);
      assertThat(problem.line()).isEqualTo(LINE);
      assertThat(problem.message()).startsWith("rule \"" + NAME + "\": ");
    });
    return problems.stream()
        .map(problem -> problem.message().substring(("rule \"" + NAME + "\": ").length()))
        .toList();
  }

  @Test
  void readsACompleteRecommendingRule() {
    RuleDefinition definition = read(recommending());

    assertThat(problems).isEmpty();
    assertThat(definition.name()).isEqualTo(NAME);
    assertThat(definition.file()).isEqualTo(FILE);
    assertThat(definition.line()).isEqualTo(LINE);
    assertThat(definition.guideline()).isEqualTo(new Guideline(
        "U.S. Preventive Services Task Force", "Colorectal Cancer: Screening", "2021-05-18", URL));
    assertThat(definition.recommends()).isTrue();
    assertThat(definition.recommendationId()).isEqualTo("uspstf-crc-screening");
    assertThat(definition.title()).isEqualTo("Colorectal cancer screening");
    assertThat(definition.evidenceGrade())
        .isEqualTo(new EvidenceGrade("USPSTF", "A", Strength.STRONG));
    assertThat(definition.category()).isEqualTo(Category.SCREENING);
    assertThat(definition.severity()).isEqualTo(Severity.WARNING);
    assertThat(definition.note()).isNull();
    assertThat(definition.info()).isEqualTo(
        new RuleInfo(NAME, FILE, LINE, "uspstf-crc-screening", definition.guideline()));
  }

  @Test
  void readsACompleteSupportingRule() {
    RuleDefinition definition = read(citation());

    assertThat(problems).isEmpty();
    assertThat(definition.recommends()).isFalse();
    assertThat(definition.recommendationId()).isNull();
    assertThat(definition.title()).isNull();
    assertThat(definition.evidenceGrade()).isNull();
    assertThat(definition.category()).isNull();
    assertThat(definition.severity()).isNull();
    assertThat(definition.guideline().publisher()).isEqualTo("U.S. Preventive Services Task Force");
    assertThat(definition.info().recommendationId()).isNull();
  }

  @Test
  void readsAnOptionalNoteOnAnyRule() {
    Map<String, Object> supporting = citation();
    supporting.put("note", "The guideline does not define 'average risk'.");
    Map<String, Object> recommendingWithNote = recommending();
    recommendingWithNote.put("note", "Ages 45 to 49 are a B recommendation.");

    assertThat(read(supporting).note()).isEqualTo("The guideline does not define 'average risk'.");
    assertThat(read(recommendingWithNote).note()).isEqualTo("Ages 45 to 49 are a B recommendation.");
    assertThat(problems).isEmpty();
  }

  @Test
  void stripsSpaceAroundValues() {
    Map<String, Object> metadata = recommending();
    metadata.put("title", "  Colorectal cancer screening \n");
    metadata.put("evidence", " GRADE:strong/moderate ");
    metadata.put("category", " screening");
    metadata.put("severity", "warning ");
    metadata.put("recommendation", " uspstf-crc-screening ");

    RuleDefinition definition = read(metadata);

    assertThat(problems).isEmpty();
    assertThat(definition.title()).isEqualTo("Colorectal cancer screening");
    assertThat(definition.recommendationId()).isEqualTo("uspstf-crc-screening");
    assertThat(definition.evidenceGrade().strength()).isEqualTo(Strength.STRONG);
    assertThat(definition.category()).isEqualTo(Category.SCREENING);
    assertThat(definition.severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void aRuleThatCitesNothingCitesItsFilesHeader() {
    Guideline header = new Guideline("Header Publisher", "Header Guideline", "1", URL);
    Map<String, Object> metadata = recommending();
    CITATION_KEYS.forEach(metadata::remove);

    RuleDefinition definition =
        RuleDefinition.read(NAME, FILE, LINE, metadata, header, problems);

    assertThat(problems).isEmpty();
    assertThat(definition.guideline()).isEqualTo(header);
    assertThat(definition.title()).isEqualTo("Colorectal cancer screening");
  }

  @Test
  void aRuleThatCitesAnotherSourceOverridesItsFilesHeader() {
    Guideline header = new Guideline("Header Publisher", "Header Guideline", "1", URL);

    RuleDefinition definition =
        RuleDefinition.read(NAME, FILE, LINE, citation(), header, problems);

    assertThat(problems).isEmpty();
    assertThat(definition.guideline().publisher()).isEqualTo("U.S. Preventive Services Task Force");
  }

  @Test
  void aRuleThatCitesPartOfAnotherSourceBesideAHeaderIsRefused() {
    Guideline header = new Guideline("Header Publisher", "Header Guideline", "1", URL);
    Map<String, Object> metadata = recommending();
    metadata.remove("url");
    metadata.remove("publisher");

    assertThat(RuleDefinition.read(NAME, FILE, LINE, metadata, header, problems)).isNull();
    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.line()).isEqualTo(LINE);
      assertThat(problem.message()).isEqualTo("rule \"" + NAME + "\": declares @guideline, "
          + "@version but not @publisher, @url: a rule cites its file's header by declaring none "
          + "of them, or another source by declaring all four");
    });
  }

  @Test
  void aHeaderStillLeavesTheRecommendationToTheRule() {
    Guideline header = new Guideline("Header Publisher", "Header Guideline", "1", URL);
    Map<String, Object> metadata = recommending();
    CITATION_KEYS.forEach(metadata::remove);
    metadata.remove("severity");

    assertThat(RuleDefinition.read(NAME, FILE, LINE, metadata, header, problems)).isNull();
    assertThat(problems).extracting(RuleProblem::message).containsExactly("rule \"" + NAME
        + "\": missing @severity (required for a recommending rule)");
  }

  @Test
  void missingCitationFieldsAreListedTogether() {
    Map<String, Object> metadata = citation();
    metadata.remove("url");
    metadata.remove("version");

    assertThat(refused(metadata))
        .containsExactly("missing @url, @version (every rule cites its source)");
  }

  @Test
  void aRuleWithNoMetadataMissesTheWholeCitation() {
    assertThat(refused(new LinkedHashMap<>())).containsExactly(
        "missing @guideline, @publisher, @url, @version (every rule cites its source)");
  }

  @Test
  void missingRecommendationFieldsAreListedTogether() {
    Map<String, Object> metadata = recommending();
    metadata.remove("evidence");
    metadata.remove("severity");

    assertThat(refused(metadata))
        .containsExactly("missing @evidence, @severity (required for a recommending rule)");
  }

  @Test
  void missingCitationAndRecommendationFieldsAreListedTogether() {
    Map<String, Object> metadata = recommending();
    metadata.remove("publisher");
    metadata.remove("title");
    metadata.remove("category");

    assertThat(refused(metadata)).containsExactly(
        "missing @category, @publisher, @title (required for a recommending rule)");
  }

  @Test
  void recommendationFieldsOnANonRecommendingRuleAreRejected() {
    Map<String, Object> metadata = citation();
    metadata.put("title", "Colorectal cancer screening");
    metadata.put("severity", "warning");

    assertThat(refused(metadata)).containsExactlyInAnyOrder(
        "@title is only for rules with a @recommendation",
        "@severity is only for rules with a @recommendation");
  }

  @Test
  void unknownLowerCaseAnnotationsAreRejectedTogether() {
    Map<String, Object> metadata = recommending();
    metadata.put("titel", "typo");
    metadata.put("author", "someone");

    List<String> messages = refused(metadata);

    assertThat(messages).hasSize(1);
    assertThat(messages.get(0))
        .startsWith("unknown annotation @author, @titel; rule metadata uses ")
        .contains("@recommendation", "@evidence", "@note");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Propagation", "Direct", "Watch", "Custom"})
  void upperCaseAnnotationsAreLeftToDrools(String builtIn) {
    Map<String, Object> metadata = recommending();
    metadata.put(builtIn, "IMMEDIATE");

    assertThat(read(metadata)).isNotNull();
    assertThat(problems).isEmpty();
  }

  @Test
  void aNonStringValueIsRejectedQuotingIt() {
    Map<String, Object> metadata = recommending();
    metadata.put("title", 42);

    assertThat(refused(metadata)).contains(
        "@title must be a non-empty quoted string, like @title(\"...\"), not 42");
  }

  @Test
  void aNonStringCitationIsRejected() {
    Map<String, Object> metadata = citation();
    metadata.put("version", 2021);

    assertThat(refused(metadata)).contains(
        "@version must be a non-empty quoted string, like @version(\"...\"), not 2021");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void aBlankValueIsRejected(String blank) {
    Map<String, Object> metadata = recommending();
    metadata.put("publisher", blank);

    assertThat(refused(metadata))
        .anySatisfy(message -> assertThat(message)
            .startsWith("@publisher must be a non-empty quoted string"));
  }

  @Test
  void badEvidenceIsRejectedWithTheGradesMessage() {
    Map<String, Object> metadata = recommending();
    metadata.put("evidence", "USPSTF:E");

    assertThat(refused(metadata))
        .containsExactly("evidence grade 'USPSTF:E': USPSTF grades are A, B, C, D and I");
  }

  @Test
  void badCategoryIsRejectedWithTheAllowedCodes() {
    Map<String, Object> metadata = recommending();
    metadata.put("category", "prevention");

    assertThat(refused(metadata)).containsExactly("unknown category 'prevention'; expected one of:"
        + " acute-alert, medication-safety, chronic-disease-monitoring, immunization, screening");
  }

  @Test
  void badSeverityIsRejectedWithTheAllowedCodes() {
    Map<String, Object> metadata = recommending();
    metadata.put("severity", "high");

    assertThat(refused(metadata))
        .containsExactly("unknown severity 'high'; expected info, warning or critical");
  }

  @Test
  void everyBadValueIsReportedAtOnce() {
    Map<String, Object> metadata = recommending();
    metadata.put("evidence", "A");
    metadata.put("category", "Screening");
    metadata.put("severity", "WARNING");
    metadata.put("url", "www.example.org/guideline");

    List<String> messages = refused(metadata);

    assertThat(messages).hasSize(4);
    assertThat(messages).anySatisfy(m -> assertThat(m).contains("'A' must be SCALE:GRADE"));
    assertThat(messages).anySatisfy(m -> assertThat(m).contains("unknown category 'Screening'"));
    assertThat(messages).anySatisfy(m -> assertThat(m).contains("unknown severity 'WARNING'"));
    assertThat(messages).anySatisfy(m -> assertThat(m)
        .contains("guideline url 'www.example.org/guideline' must be an absolute http(s) address with a host"));
  }

  @Test
  void aNonHttpGuidelineUrlIsRejectedOnASupportingRule() {
    Map<String, Object> metadata = citation();
    metadata.put("url", "ftp://example.org/crc.pdf");

    assertThat(refused(metadata))
        .containsExactly("guideline url 'ftp://example.org/crc.pdf' must be an absolute http(s) address with a host");
  }

  @ParameterizedTest
  @ValueSource(strings = {"uspstf-crc-screening", "cdc.opioid.1", "a1", "crc-2021", "x"})
  void acceptsStableLowerCaseIds(String id) {
    Map<String, Object> metadata = recommending();
    metadata.put("recommendation", id);

    assertThat(read(metadata).recommendationId()).isEqualTo(id);
    assertThat(problems).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"USPSTF-CRC", "crc screening", "crc_screening", "-crc", "crc-",
      "crc--screening", "crc..x", "crc/screening", "Crc"})
  void rejectsAnInvalidRecommendationIdQuotingIt(String id) {
    Map<String, Object> metadata = recommending();
    metadata.put("recommendation", id);

    assertThat(refused(metadata)).containsExactly("@recommendation '" + id
        + "' must be a stable lower-case id such as 'uspstf-crc-screening'");
  }

  @Test
  void problemsAreAddedToThoseAlreadyFound() {
    RuleProblem earlier = new RuleProblem("other.drl", 3, "earlier problem");
    problems.add(earlier);
    Map<String, Object> metadata = citation();
    metadata.remove("publisher");

    assertThat(read(metadata)).isNull();
    assertThat(problems).hasSize(2).first().isEqualTo(earlier);
    assertThat(problems.get(1))
        .hasToString(FILE + ":" + LINE + ": rule \"" + NAME + "\": missing @publisher"
            + " (every rule cites its source)");
  }

  @Test
  void everyProblemCarriesFileAndLine() {
    Map<String, Object> metadata = citation();
    metadata.put("colour", "red");
    metadata.put("title", 7);
    metadata.remove("url");

    List<String> messages = refused(metadata);

    assertThat(messages).hasSizeGreaterThanOrEqualTo(3);
    assertThat(problems).extracting(RuleProblem::file).containsOnly(FILE);
    assertThat(problems).extracting(RuleProblem::line).containsOnly(LINE);
  }

  @Test
  void anInvalidRecommendationIdStillCountsAsARecommendingRule() {
    Map<String, Object> metadata = recommending();
    metadata.put("recommendation", 42);
    List<String> messages = refused(metadata);
    assertThat(messages).anySatisfy(m -> assertThat(m).contains("@recommendation must be"));
    assertThat(messages).noneSatisfy(m -> assertThat(m).contains("only for rules with"));
  }
}
