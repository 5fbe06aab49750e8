package io.github.cdsengine.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GuidelineTest {

  private static final String PUBLISHER = "U.S. Preventive Services Task Force";
  private static final String TITLE = "Colorectal Cancer: Screening";
  private static final String VERSION = "2021-05-18";
  private static final String URL = "https://www.uspreventiveservicestaskforce.org/uspstf/"
      + "recommendation/colorectal-cancer-screening";

  @ParameterizedTest
  @ValueSource(strings = {URL, "http://example.org", "https://example.org/guideline?v=2#sec-3"})
  void acceptsAbsoluteHttpAndHttpsUrls(String url) {
    Guideline guideline = new Guideline(PUBLISHER, TITLE, VERSION, url);

    assertThat(guideline.url()).isEqualTo(url);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t"})
  void blankFieldsAreRejectedNamingTheField(String blank) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Guideline(blank, TITLE, VERSION, URL))
        .withMessage("guideline publisher must not be blank");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Guideline(PUBLISHER, blank, VERSION, URL))
        .withMessage("guideline title must not be blank");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Guideline(PUBLISHER, TITLE, blank, URL))
        .withMessage("guideline version must not be blank");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Guideline(PUBLISHER, TITLE, VERSION, blank))
        .withMessage("guideline url must not be blank");
  }

  @Test
  void nullFieldsAreRejectedNamingTheField() {
    assertThatNullPointerException().isThrownBy(() -> new Guideline(null, TITLE, VERSION, URL))
        .withMessage("guideline publisher");
    assertThatNullPointerException().isThrownBy(() -> new Guideline(PUBLISHER, null, VERSION, URL))
        .withMessage("guideline title");
    assertThatNullPointerException().isThrownBy(() -> new Guideline(PUBLISHER, TITLE, null, URL))
        .withMessage("guideline version");
    assertThatNullPointerException()
        .isThrownBy(() -> new Guideline(PUBLISHER, TITLE, VERSION, null))
        .withMessage("guideline url");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.org/guideline.pdf", "file:///guidelines/crc.pdf",
      "mailto:uspstf@example.org", "urn:isbn:9780000000000"})
  void nonHttpUrlIsRejectedQuotingIt(String url) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Guideline(PUBLISHER, TITLE, VERSION, url))
        .withMessage("guideline url '" + url + "' must be an absolute http(s) address with a host");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/uspstf/recommendation/crc", "guidelines/crc.html",
      "www.uspreventiveservicestaskforce.org", "//example.org/guideline"})
  void relativeUrlIsRejectedQuotingIt(String url) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Guideline(PUBLISHER, TITLE, VERSION, url))
        .withMessage("guideline url '" + url + "' must be an absolute http(s) address with a host");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://example.org/a guideline", "https://", "https://exa<mple>.org"})
  void malformedUrlIsRejectedQuotingIt(String url) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Guideline(PUBLISHER, TITLE, VERSION, url))
        .withMessage("guideline url '" + url + "' is not a valid URI")
        .withCauseInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https:example", "https:///path/only", "http:/relative"})
  void aUrlWithoutAHostIsRejected(String url) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Guideline(PUBLISHER, TITLE, VERSION, url))
        .withMessageContaining("with a host");
  }

  @Test
  void theSchemeIsCaseInsensitive() {
    assertThat(new Guideline(PUBLISHER, TITLE, VERSION, "HTTPS://example.org/g").url())
        .isEqualTo("HTTPS://example.org/g");
  }
}
