package io.github.cdsengine.core.drl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one reader of DRL text: literals, brackets, parts and blocks. */
class DrlTextTest {

  @Test
  void aLiteralEndsAtItsQuoteOrItsLine() {
    assertThat(DrlText.endOfLiteral("x \"a\\\"b\" y", 2)).isEqualTo(8);
    assertThat(DrlText.endOfLiteral("'it' x", 0)).isEqualTo(4);
    assertThat(DrlText.endOfLiteral("\"open\nnext", 0)).isEqualTo(6);
    assertThat(DrlText.endOfLiteral("\"open", 0)).isEqualTo(5);
  }

  @Test
  void bracketsInsideEitherKindOfLiteralDoNotCount() {
    String text = "Patient(name == ')', note == \"(\", x(1)) tail";
    assertThat(DrlText.closingParenthesis(text, 7)).isEqualTo(text.indexOf(") tail"));
    assertThat(DrlText.closingParenthesis("Patient(", 7)).isEqualTo(8);
  }

  @Test
  void splitsAtEachSeparatorOutsideBracketsAndLiterals() {
    String text = "a == 1, f(b, c) && d == \"x,y\" && e == 'p&&q'";
    List<DrlText.Span> parts = DrlText.splitTopLevel(text, 0, text.length(), ",", "&&");
    assertThat(parts).extracting(p -> text.substring(p.start(), p.end()).strip())
        .containsExactly("a == 1", "f(b, c)", "d == \"x,y\"", "e == 'p&&q'");
  }

  @Test
  void stringLiteralsAreTheClosedDoubleQuotedOnes() {
    assertThat(DrlText.stringLiterals("f(\"a\", 'say \"b\"', \"c\\\"d\", \"open\n\"e\")"))
        .containsExactly("a", "c\\\"d", "e");
  }

  @Test
  void rulesAndQueriesRunToTheirEnd() {
    String text = "query \"q\"\n  P()\nend\nrule \"r \\\"1\\\"\"\nwhen\n  $mp.end\nthen\nend\n";
    assertThat(DrlText.queries(text)).extracting(DrlText.Block::name, DrlText.Block::start)
        .containsExactly(tuple("q", 0));
    assertThat(DrlText.rules(text)).singleElement().satisfies(rule -> {
      assertThat(rule.name()).isEqualTo("r \"1\"");
      assertThat(text.substring(rule.start(), rule.end())).startsWith("rule").endsWith("then\nend");
    });
  }
}
