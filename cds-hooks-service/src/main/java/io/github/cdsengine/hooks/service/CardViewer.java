package io.github.cdsengine.hooks.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The card viewer's files: the page served at {@code GET /}, its script and style sheet, and the
 * bundled example requests under {@code /viewer/}, read once from this jar when the server is
 * built. Nothing else is served: a path is looked up, never resolved against a folder.
 *
 * <p>Every file goes out with {@link #CONTENT_SECURITY_POLICY}: scripts only from this server,
 * no inline script, no {@code eval}, and Trusted Types required, so that a card's text can reach
 * the page only as text.
 */
final class CardViewer {

  /**
   * The page's policy: everything from this server only, nothing inline, no {@code eval} (no
   * {@code 'unsafe-*'} source anywhere), no {@code <base>}, no form posts, no framing, and
   * Trusted Types enforced with no policy allowed, so an {@code innerHTML} assignment throws.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; "
      + "style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; "
      + "form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'; "
      + "trusted-types 'none'";

  /** The folder of the example requests, in the jar and in their URLs. */
  private static final String EXAMPLES = "examples/";

  private static final String FOLDER = "viewer/";
  private static final String URL_PREFIX = "/viewer/";
  private static final List<String> PAGE_FILES =
      List.of("index.html", "viewer.js", "viewer.css", EXAMPLES + "index.json");
  private static final Pattern EXAMPLE_FILE = Pattern.compile("[a-z0-9][a-z0-9-]*\\.json");
  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "json", "application/json");

  /** One file as it is sent. */
  record Asset(String contentType, byte[] content) {}

  private final Map<String, Asset> byPath;

  private CardViewer(Map<String, Asset> byPath) {
    this.byPath = Map.copyOf(byPath);
  }

  /**
   * Reads the viewer's files and every example its {@code examples/index.json} lists.
   *
   * @return the viewer
   * @throws IllegalStateException if a file is missing from the jar or the index names a file
   *     outside the examples folder
   */
  static CardViewer load() {
    Map<String, Asset> byPath = new LinkedHashMap<>();
    for (String file : PAGE_FILES) {
      byPath.put(URL_PREFIX + file, asset(file));
    }
    byPath.put("/", byPath.get(URL_PREFIX + "index.html"));
    JsonNode index;
    try {
      index = new ObjectMapper().readTree(byPath.get(URL_PREFIX + EXAMPLES + "index.json")
          .content());
    } catch (IOException e) {
      throw new IllegalStateException("the viewer's examples/index.json is not JSON: "
          + e.getMessage(), e);
    }
    for (JsonNode example : index.path("examples")) {
      String file = example.path("file").asText();
      if (!EXAMPLE_FILE.matcher(file).matches()) {
        throw new IllegalStateException("the viewer's examples/index.json names '" + file
            + "'; an example is a lower-case name.json in the examples folder");
      }
      byPath.put(URL_PREFIX + EXAMPLES + file, asset(EXAMPLES + file));
    }
    return new CardViewer(byPath);
  }

  private static Asset asset(String file) {
    String extension = file.substring(file.lastIndexOf('.') + 1);
    try (InputStream in = CardViewer.class.getResourceAsStream(FOLDER + file)) {
      if (in == null) {
        throw new IllegalStateException("the viewer's file " + FOLDER + file
            + " is missing from the jar");
      }
      return new Asset(CONTENT_TYPES.get(extension), in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The file served at a request path.
   *
   * @param path the request's path, e.g. {@code /} or {@code /viewer/viewer.js}
   * @return the file, or empty when the viewer has none there
   */
  Optional<Asset> at(String path) {
    return Optional.ofNullable(byPath.get(path));
  }
}
