package io.github.cdsengine.population;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The population report's page: its data inlined where a browser never runs it. */
class HtmlReportTest {

  @Test
  void markupInTheDataCannotCloseTheScriptElementItIsIn() {
    String page = HtmlReport.population("{\"patients\": 1, \"x\": \"</script><b>\u2028\"}",
        "{\"limit\":1,\"figures\":{\"a\":{\"count\":1,\"patients\":[\"<img>\"]}}}");
    assertThat(page).doesNotContain("</script><b>").doesNotContain("<img>")
        .contains("\\u003c/script>\\u003cb>\\u2028").contains("[\"\\u003cimg>\"]");
  }

  @Test
  void thePolicyAllowsTheTemplatesOwnScriptsAndNothingFromElsewhere() {
    String page = HtmlReport.population("{}", "{}");
    assertThat(page).contains("http-equiv=\"Content-Security-Policy\"")
        .contains("default-src 'none'").contains("script-src 'sha256-")
        .doesNotContain("/*DATA*/").doesNotContain("/*PATIENTS*/");
  }

  @Test
  void aTemplatesDataIsFilledOnce() {
    String page = HtmlReport.render("<p>/*DATA*/</p><i>/*DATA*/</i>", "{\"a\":\"/*DATA*/\"}");
    assertThat(page).isEqualTo("<p>{\"a\":\"/*DATA*/\"}</p><i>{\"a\":\"/*DATA*/\"}</i>");
  }
}
