package io.github.cdsengine.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
