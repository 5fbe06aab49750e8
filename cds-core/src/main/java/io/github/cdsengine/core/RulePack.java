package io.github.cdsengine.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.terminology.ValueSet;
import io.github.cdsengine.core.terminology.ValueSetReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A named, versioned set of guideline rules and the value sets they use, as shipped in a jar.
 *
 * <p>A pack is described by a JSON manifest on the classpath:
 *
 * <pre>{@code
 * {"id": "uspstf-colorectal-cancer-screening", "version": "1.0.0",
 *  "title": "USPSTF colorectal cancer screening (2021)",
 *  "rules": ["colorectal-cancer-screening.drl"],
 *  "valueSets": ["valueset-crc-colonoscopy.json"]}
 * }</pre>
 *
 * with paths relative to the manifest. A jar lists its manifests, one resource path a line, in
 * {@value #INDEX}, which {@link #discover(ClassLoader)} reads.
 *
 * @param id the pack's stable id
 * @param version the pack's version
 * @param title a human-readable title
 * @param rules the DRL files
 * @param valueSets the value sets the rules use
 */
public record RulePack(String id, String version, String title, List<RuleFile> rules,
    List<ValueSet> valueSets) {

  /** The classpath resource that lists a jar's pack manifests. */
  public static final String INDEX = "META-INF/cds-engine/rule-packs";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * Copies the lists and checks the fields.
   *
   * @throws NullPointerException if any field is null
   */
  public RulePack {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(title, "title");
    rules = List.copyOf(rules);
    valueSets = List.copyOf(valueSets);
  }

  /**
   * Every pack listed in the {@value #INDEX} resources visible to {@code classLoader}, sorted by
   * id.
   *
   * @throws InvalidDataException if a manifest or a file it names is missing or malformed
   */
  public static List<RulePack> discover(ClassLoader classLoader) {
    Set<String> manifests = new LinkedHashSet<>();
    try {
      Enumeration<URL> indexes = classLoader.getResources(INDEX);
      while (indexes.hasMoreElements()) {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(indexes.nextElement().openStream(), StandardCharsets.UTF_8))) {
          reader.lines().map(String::strip)
              .filter(line -> !line.isEmpty() && !line.startsWith("#"))
              .forEach(manifests::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + INDEX, e);
    }
    List<RulePack> packs = new ArrayList<>();
    for (String manifest : manifests) {
      packs.add(load(manifest, classLoader));
    }
    packs.sort((a, b) -> a.id().compareTo(b.id()));
    return List.copyOf(packs);
  }

  /**
   * Loads the pack whose manifest is the classpath resource {@code manifest}.
   *
   * @throws InvalidDataException if the manifest or a file it names is missing or malformed
   */
  public static RulePack load(String manifest, ClassLoader classLoader) {
    JsonNode root;
    try (InputStream in = open(manifest, classLoader, manifest)) {
      root = JSON.readTree(in);
    } catch (IOException e) {
      throw new InvalidDataException(manifest, "$", "not valid JSON: " + e.getMessage());
    }
    String base = manifest.contains("/") ? manifest.substring(0, manifest.lastIndexOf('/') + 1) : "";
    List<RuleFile> rules = new ArrayList<>();
    for (String path : strings(root, "rules", manifest)) {
      try (InputStream in = open(base + path, classLoader, manifest)) {
        rules.add(new RuleFile(base + path, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new InvalidDataException(manifest, "$.rules", "cannot read " + base + path);
      }
    }
    List<ValueSet> valueSets = new ArrayList<>();
    for (String path : strings(root, "valueSets", manifest)) {
      try (InputStream in = open(base + path, classLoader, manifest)) {
        valueSets.add(ValueSetReader.read(in, base + path));
      } catch (IOException e) {
        throw new InvalidDataException(manifest, "$.valueSets", "cannot read " + base + path);
      }
    }
    return new RulePack(text(root, "id", manifest), text(root, "version", manifest),
        text(root, "title", manifest), rules, valueSets);
  }

  private static InputStream open(String resource, ClassLoader classLoader, String manifest) {
    InputStream in = classLoader.getResourceAsStream(resource);
    if (in == null) {
      throw new InvalidDataException(manifest, "$", "no classpath resource " + resource);
    }
    return in;
  }

  private static String text(JsonNode root, String field, String manifest) {
    JsonNode value = root.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new InvalidDataException(manifest, "$." + field, "a non-empty string is required");
    }
    return value.asText();
  }

  private static List<String> strings(JsonNode root, String field, String manifest) {
    JsonNode array = root.get(field);
    if (array == null) {
      return List.of();
    }
    if (!array.isArray()) {
      throw new InvalidDataException(manifest, "$." + field, "expected an array of paths");
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!array.get(i).isTextual()) {
        throw new InvalidDataException(manifest, "$." + field + "[" + i + "]", "expected a path");
      }
      values.add(array.get(i).asText());
    }
    return values;
  }
}
