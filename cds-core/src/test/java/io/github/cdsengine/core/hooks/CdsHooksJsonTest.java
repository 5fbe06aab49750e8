package io.github.cdsengine.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import io.github.cdsengine.core.problem.DataWarning;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cards and responses serialize to exactly the CDS Hooks 2.0 JSON shape. */
class CdsHooksJsonTest {

  static final Coding REASON = new Coding("urn:x", "declined", "Patient declined");

  @Test
  void emptyResponseStillHasCards() {
    assertThat(CdsHooksResponse.of(List.of()).toJson()).isEqualTo("{\"cards\":[]}");
  }

  @Test
  void minimalCardLeavesOutAbsentOptionalFields() {
    Card card = new Card(null, "Screening is due", null, "info", new Source("USPSTF", null),
        List.of(), null, List.of(), List.of());
    assertThat(CdsHooksResponse.of(List.of(card)).toJson()).isEqualTo(
        "{\"cards\":[{\"summary\":\"Screening is due\",\"indicator\":\"info\","
            + "\"source\":{\"label\":\"USPSTF\"}}]}");
  }

  @Test
  void fullCardHasEveryFieldInTheSpecificationsOrder() {
    ObjectNode resource = new ObjectMapper().createObjectNode()
        .put("resourceType", "ServiceRequest").put("status", "draft");
    Suggestion suggestion = new Suggestion("Order a colonoscopy", "s-1", true,
        List.of(new Action("create", "Create the order", resource, null)));
    Card card = new Card("c-1", "Screening is due", "**Due** now", "warning",
        new Source("USPSTF", "https://example.org/g", "https://example.org/i.png",
            new Coding("urn:topics", "crc", null)),
        List.of(suggestion), "at-most-one", List.of(REASON),
        List.of(Link.absolute("Guideline", "https://example.org/g"),
            new Link("App", "https://app.example.org/launch", "smart", "ctx-1")));
    Action delete = new Action("delete", "Remove the draft", null, "ServiceRequest/x");
    String json = new CdsHooksResponse(List.of(card), List.of(delete)).toJson();
    assertThat(json).isEqualTo("{\"cards\":[{"
        + "\"uuid\":\"c-1\",\"summary\":\"Screening is due\",\"detail\":\"**Due** now\","
        + "\"indicator\":\"warning\","
        + "\"source\":{\"label\":\"USPSTF\",\"url\":\"https://example.org/g\","
        + "\"icon\":\"https://example.org/i.png\","
        + "\"topic\":{\"system\":\"urn:topics\",\"code\":\"crc\"}},"
        + "\"suggestions\":[{\"label\":\"Order a colonoscopy\",\"uuid\":\"s-1\","
        + "\"isRecommended\":true,\"actions\":[{\"type\":\"create\","
        + "\"description\":\"Create the order\","
        + "\"resource\":{\"resourceType\":\"ServiceRequest\",\"status\":\"draft\"}}]}],"
        + "\"selectionBehavior\":\"at-most-one\","
        + "\"overrideReasons\":[{\"system\":\"urn:x\",\"code\":\"declined\","
        + "\"display\":\"Patient declined\"}],"
        + "\"links\":[{\"label\":\"Guideline\",\"url\":\"https://example.org/g\","
        + "\"type\":\"absolute\"},{\"label\":\"App\",\"url\":\"https://app.example.org/launch\","
        + "\"type\":\"smart\",\"appContext\":\"ctx-1\"}]}],"
        + "\"systemActions\":[{\"type\":\"delete\",\"description\":\"Remove the draft\","
        + "\"resourceId\":\"ServiceRequest/x\"}]}");
  }

  @Test
  void suggestionWithoutActionsOrFlagsLeavesThemOut() {
    assertThat(CdsHooksJson.write(new Suggestion("Discuss", null, null, List.of())))
        .isEqualTo("{\"label\":\"Discuss\"}");
  }

  @Test
  void writesToAStreamWithoutClosingIt() {
    ByteArrayOutputStream out = new ByteArrayOutputStream() {
      @Override
      public void close() {
        throw new AssertionError("closed");
      }
    };
    CdsHooksJson.write(CdsHooksResponse.of(List.of()), out);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"cards\":[]}");
  }

  @Test
  void cardChecksWhatTheSpecificationRequires() {
    Source source = new Source("x", null);
    assertThatThrownBy(() -> new Card(null, "s".repeat(141), null, "info", source, List.of(),
        null, List.of(), List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("141");
    assertThatThrownBy(() -> new Card(null, "s", null, "hard-stop", source, List.of(), null,
        List.of(), List.of())).hasMessageContaining("'hard-stop'");
    Suggestion suggestion = new Suggestion("Do", null, null, List.of());
    assertThatThrownBy(() -> new Card(null, "s", null, "info", source, List.of(suggestion),
        null, List.of(), List.of())).hasMessageContaining("selectionBehavior");
    assertThatThrownBy(() -> new Card(null, "s", null, "info", source, List.of(suggestion),
        "all", List.of(), List.of())).hasMessageContaining("'all'");
    assertThatThrownBy(() -> new Action("remove", "d", null, "x/1"))
        .hasMessageContaining("'remove'");
    assertThatThrownBy(() -> new Action("create", "d", null, null))
        .hasMessageContaining("resource");
    assertThatThrownBy(() -> new Action("delete", "d", null, null))
        .hasMessageContaining("resourceId");
    assertThatThrownBy(() -> new Link("l", "u", "relative", null))
        .hasMessageContaining("'relative'");
  }

  static final Source SOURCE = new Source("USPSTF", "https://example.org/g");

  static Card card(String summary) {
    return new Card(null, summary, null, "info", SOURCE, List.of(), null, List.of(), List.of());
  }

  /** CDS Hooks asks for a summary of fewer than 140 characters. */
  @ParameterizedTest
  @CsvSource({"1, true", "138, true", "139, true", "140, false", "141, false", "500, false"})
  void aSummaryOf140CharactersOrMoreIsRefusedQuotingIt(int length, boolean allowed) {
    String summary = "s".repeat(length);
    if (allowed) {
      assertThat(card(summary).summary()).isEqualTo(summary);
    } else {
      assertThatThrownBy(() -> card(summary)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + summary + "'").hasMessageContaining(length + " characters");
    }
  }

  @Test
  void anOverrideReasonWithoutADisplayIsRefused() {
    Coding bare = new Coding("urn:x", "declined", null);
    assertThatThrownBy(() -> new Card(null, "s", null, "info", SOURCE, List.of(), null,
        List.of(REASON, bare), List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("urn:x|declined").hasMessageContaining("display");
    // A topic needs no display.
    assertThat(new Source("USPSTF", null, null, bare).topic().display()).isNull();
  }

  @Test
  void aCreateOrUpdateMustCarryAFhirResource() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode noType = json.createObjectNode().put("status", "draft");
    ObjectNode blankType = json.createObjectNode().put("resourceType", " ");
    ObjectNode numberType = json.createObjectNode().put("resourceType", 7);
    for (String type : List.of("create", "update")) {
      assertThatThrownBy(() -> new Action(type, "d", noType, null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("resourceType").hasMessageContaining("{\"status\":\"draft\"}");
      assertThatThrownBy(() -> new Action(type, "d", blankType, null))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new Action(type, "d", numberType, null))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new Action(type, "d", json.getNodeFactory().textNode(
          "ServiceRequest/1"), null)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ServiceRequest/1");
    }
    ObjectNode order = json.createObjectNode().put("resourceType", "ServiceRequest");
    assertThat(new Action("create", "d", order, null).resource()).isEqualTo(order);
  }

  @Test
  void recommendingMoreThanOneSuggestionNeedsSelectionBehaviourAny() {
    Suggestion first = new Suggestion("One", null, true, List.of());
    Suggestion second = new Suggestion("Two", null, true, List.of());
    Suggestion third = new Suggestion("Three", null, false, List.of());
    assertThatThrownBy(() -> new Card(null, "s", null, "info", SOURCE,
        List.of(first, second), "at-most-one", List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[One, Two]").hasMessageContaining("at-most-one");
    assertThat(new Card(null, "s", null, "info", SOURCE, List.of(first, second), "any",
        List.of(), List.of()).suggestions()).hasSize(2);
    assertThat(new Card(null, "s", null, "info", SOURCE, List.of(first, third), "at-most-one",
        List.of(), List.of()).suggestions()).hasSize(2);
  }

  @Test
  void anAbsoluteLinkHasAnAbsoluteUrlAndNoSmartFields() {
    assertThatThrownBy(() -> new Link("Guideline", "https://example.org/g", "absolute", "ctx"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ctx'");
    assertThatThrownBy(() -> Link.absolute("Guideline", "/guidelines/crc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'/guidelines/crc'").hasMessageContaining("relative");
    assertThatThrownBy(() -> Link.absolute("Guideline", "example.org/g"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'example.org/g'");
    assertThatThrownBy(() -> Link.absolute("Guideline", "https://exa mple.org"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'https://exa mple.org'");
    assertThatThrownBy(() -> new Link("Guideline", "https://example.org/g", "absolute", null,
        true)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("autolaunchable");
    assertThatThrownBy(() -> new Link("Guideline", "https://example.org/g", "absolute", null,
        false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("autolaunchable");
    // An empty appContext is no appContext.
    assertThat(new Link("Guideline", "https://example.org/g", "absolute", "").appContext())
        .isNull();
  }

  @Test
  void aSmartLinkMayBeAutolaunchable() {
    Link app = Link.smart("Taper plan", "https://app.example.org/launch", "ctx-1", true);
    assertThat(CdsHooksJson.write(app)).isEqualTo("{\"label\":\"Taper plan\","
        + "\"url\":\"https://app.example.org/launch\",\"type\":\"smart\","
        + "\"appContext\":\"ctx-1\",\"autolaunchable\":true}");
    assertThat(CdsHooksJson.write(Link.smart("App", "https://app.example.org/launch", null,
        null))).isEqualTo("{\"label\":\"App\",\"url\":\"https://app.example.org/launch\","
        + "\"type\":\"smart\"}");
  }

  @Test
  void emptyStringsAreErrorsWhereRequiredAndLeftOutWhereOptional() {
    // Required: an empty or blank value is an error.
    assertThatThrownBy(() -> card("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("summary");
    assertThatThrownBy(() -> card("   ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Source("", null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label");
    assertThatThrownBy(() -> new Suggestion("", null, null, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label");
    assertThatThrownBy(() -> new Action("delete", "", null, "x/1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("description");
    assertThatThrownBy(() -> new Link("", "https://example.org", "absolute", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Link("l", "", "smart", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Coding("", "c", "d")).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> new Coding("s", " ", "d")).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> new CdsService("", null, "d", "s-1", java.util.Map.of(), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hook");
    assertThatThrownBy(() -> new CdsService("order-sign", null, "", "s-1", java.util.Map.of(),
        null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("description");
    assertThatThrownBy(() -> new CdsService("order-sign", null, "d", "s-1",
        java.util.Map.of("patient", ""), null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("patient");
    // A delete's resourceId is required: empty is none, so the delete is refused.
    assertThatThrownBy(() -> new Action("delete", "d", null, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resourceId");

    // Optional: an empty or blank value is absent, and the JSON leaves it out.
    Card card = new Card("", "Screening is due", " ", "info", new Source("USPSTF", "", "", null),
        List.of(), "", List.of(), List.of());
    assertThat(card.uuid()).isNull();
    assertThat(card.detail()).isNull();
    assertThat(card.selectionBehavior()).isNull();
    assertThat(CdsHooksResponse.of(List.of(card)).toJson()).isEqualTo(
        "{\"cards\":[{\"summary\":\"Screening is due\",\"indicator\":\"info\","
            + "\"source\":{\"label\":\"USPSTF\"}}]}");
    assertThat(CdsHooksJson.write(new Suggestion("Discuss", "", null, List.of())))
        .isEqualTo("{\"label\":\"Discuss\"}");
    assertThat(CdsHooksJson.write(new Coding("urn:topics", "crc", "")))
        .isEqualTo("{\"system\":\"urn:topics\",\"code\":\"crc\"}");
    assertThat(CdsHooksJson.write(new CdsService("order-sign", " ", "d", "s-1",
        java.util.Map.of(), ""))).isEqualTo(
        "{\"hook\":\"order-sign\",\"description\":\"d\",\"id\":\"s-1\"}");
    // An empty selectionBehavior with suggestions is a missing one.
    assertThatThrownBy(() -> new Card(null, "s", null, "info", SOURCE,
        List.of(new Suggestion("Do", null, null, List.of())), "", List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("selectionBehavior");
  }

  @Test
  void aSourcesAddressesAreAbsolute() {
    assertThatThrownBy(() -> new Source("USPSTF", "www.uspstf.org"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'www.uspstf.org'");
    assertThatThrownBy(() -> new Source("USPSTF", null, "icons/100.png", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'icons/100.png'");
  }

  @Test
  void warningsAreWrittenInTheExtensionOnlyWhenThereAreSome() {
    Card card = new Card(null, "Screening is due", null, "info", new Source("USPSTF", null),
        List.of(), null, List.of(), List.of());
    CdsHooksResponse plain = CdsHooksResponse.of(List.of(card));
    assertThat(plain.withWarnings(List.of()).toJson()).isEqualTo(plain.toJson());
    CdsHooksResponse warned = plain
        .withWarnings(List.of(new DataWarning("Observation", "o-1", "left out")))
        .withWarnings(List.of(new DataWarning("Patient", "p-1", "no \"birth\" date")));
    assertThat(warned.toJson()).isEqualTo("{\"cards\":[{\"summary\":\"Screening is due\","
        + "\"indicator\":\"info\",\"source\":{\"label\":\"USPSTF\"}}],"
        + "\"extension\":{\"io.github.cdsengine.warnings\":["
        + "{\"resourceType\":\"Observation\",\"id\":\"o-1\",\"message\":\"left out\"},"
        + "{\"resourceType\":\"Patient\",\"id\":\"p-1\","
        + "\"message\":\"no \\\"birth\\\" date\"}]}}");
    assertThat(warned.cards()).isEqualTo(plain.cards());
    assertThat(plain.warnings()).isEmpty();
  }
}
