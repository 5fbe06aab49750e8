package io.github.cdsengine.core.testing;

import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.terminology.ValueSet;
import java.util.Set;
import io.github.cdsengine.core.problem.RuleSetException;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.CdsEngine;

/** DRL text for engine tests: a header with the rule vocabulary and cited rules. */
public final class TestRules {

  /** A small value set for tests: two colonoscopy codes. */
  public static final ValueSet COLONOSCOPY = new ValueSet("test-colonoscopy",
      "http://example.org/ValueSet/test-colonoscopy", "1", "Colonoscopy (test)",
      Set.of(Code.of(SNOMED_CT, "73761001"), Code.of(SNOMED_CT, "444783004")));

  public static final String HEADER = """
      package test.rules;

      import io.github.cdsengine.core.model.*;
      import io.github.cdsengine.core.rule.*;

      global io.github.cdsengine.core.terminology.ValueSets valueSets;
      """;

  public static final String CITATION = """
          @publisher("Test Publisher")
          @guideline("Test Guideline")
          @version("2024")
          @url("https://example.org/guideline")
      """;

  private TestRules() {}

  /** A recommending rule with full metadata. */
  public static String recommending(String name, String id, String evidence, String category,
      String severity, String when, String detail) {
    return "rule \"" + name + "\"\n"
        + "    @recommendation(\"" + id + "\")\n"
        + "    @title(\"Title of " + id + "\")\n"
        + "    @evidence(\"" + evidence + "\")\n"
        + "    @category(\"" + category + "\")\n"
        + "    @severity(\"" + severity + "\")\n"
        + CITATION
        + "when\n" + when + "\nthen\n    insert(new Proposal(\"" + detail + "\"));\nend\n\n";
  }

  /** A supporting rule with only its citation. */
  public static String supporting(String name, String when, String then) {
    return "rule \"" + name + "\"\n" + CITATION + "when\n" + when + "\nthen\n" + then + "\nend\n\n";
  }

  /** The exception a build that must fail throws; fails the test when the build succeeds. */
  public static RuleSetException buildFails(CdsEngine.Builder builder) {
    try (CdsEngine engine = builder.build()) {
      throw new AssertionError("expected the build to fail, but it built " + engine.rules());
    } catch (RuleSetException e) {
      return e;
    }
  }

  /** The 1-based number of the first line of {@code file} that contains {@code text}. */
  public static int lineOf(RuleFile file, String text) {
    String[] lines = file.content().split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + file.name());
  }

  public static RuleFile file(String name, String... rules) {
    return new RuleFile(name, HEADER + "\n" + String.join("", rules));
  }
}
