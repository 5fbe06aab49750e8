package io.github.cdsengine.core.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.fhir.RecordAssembler.DanglingSubject;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Reading a document from its token stream ({@link StreamedDocument}, what {@link FhirReader}
 * does) gives exactly what parsing it whole and taking its resources from the tree gives: the
 * same records, skipped types and warnings, or the same error (source, JSON path and message).
 *
 * <p>Each try damages one of the hand-written inputs under {@code src/test/resources/fhir/} with
 * a few random edits: members moved to the end of their object (a {@code resourceType} after
 * the rest, a {@code fullUrl} after its resource), a resource turned into a type no rule uses (so
 * the damage lands in what is skipped), values of another JSON type, a duplicated key, nulls in
 * arrays, a decimal beyond what a decimal can hold, a truncation or stray characters, a resource
 * wrapped in a Bundle within the Bundle, a member left out (its {@code resourceType} too), a
 * byte order mark, an escaped lone surrogate.
 */
class StreamedDocumentPropertyTest {

  private static final List<String> INPUTS = List.of(FhirInputs.EVERY_RESOURCE_TYPE,
      FhirInputs.TWO_INPATIENTS, FhirInputs.ORDERS, "split-case/patient.json");
  private static final List<String> VALUES = List.of("\"x\"", "\"\"", "\" \"", "0", "-7",
      "1.50", "123456789012345678901234567890", "true", "null", "{}", "[]", "[null]",
      "{\"x\": [1, null, {}]}", "\"Patient/p1\"", "\"Bundle\"", "\"Claim\"", "7");
  private static final String NOISE = "{}[]\":,\\ -+.eE019nul\u0000\u00e9\ud83d\ude00";
  private static final List<String> SKIPPED_TYPES = List.of("Claim", "Organization",
      "ExplanationOfBenefit");

  @Property(tries = 1500)
  void theStreamAndTheTreeAgree(@ForAll @IntRange(min = 0, max = 3) int input,
      @ForAll long seed) {
    String json = damaged(FhirInputs.text(INPUTS.get(input)), new Random(seed));

    agree(json);
    String tree = outcome(() -> FhirReader.create().read(FhirInputs.stream(json),
        FhirInputs.SOURCE));
    Statistics.collect(tree.startsWith("refused") ? "refused" : "read");
    Statistics.coverage(coverage -> {
      coverage.check("read").count(n -> n > 0);
      coverage.check("refused").count(n -> n > 0);
    });
  }

  @Example
  void aStringPastTheParsersLimitInASkippedResourceIsTheSameError() {
    agree(FhirInputs.bundle(FhirInputs.PATIENT, "{\"resourceType\": \"Organization\", "
        + "\"id\": \"org1\", \"name\": \"" + "x".repeat(20_000_001) + "\"}"));
  }

  @Example
  void aDecimalNoDecimalHoldsInASkippedResourceIsTheSameError() {
    agree(FhirInputs.bundle(FhirInputs.PATIENT, "{\"resourceType\": \"Claim\", "
        + "\"id\": \"c1\", \"total\": {\"value\": 1e2147483648}}"));
  }

  @Example
  void aNonObjectRootIsTheSameError() {
    for (String root : List.of("", " ", "[]", "[1e2147483648]", "null", "7", "\"x\"", "{} x",
        "[] {}", "{\"resourceType\": \"Claim\"} {}", "{\"resourceType\": \"Claim\"")) {
      agree(root);
    }
  }

  private static void agree(String json) {
    String streamed = outcome(() -> FhirReader.create().read(FhirInputs.stream(json),
        FhirInputs.SOURCE));
    String tree = outcome(() -> {
      ResourceIndex index = new ResourceIndex();
      index.add(FhirDocuments.parse(FhirInputs.stream(json), FhirInputs.SOURCE),
          FhirInputs.SOURCE);
      return RecordAssembler.assemble(index, DanglingSubject.ERROR);
    });
    assertThat(streamed).as(json.length() > 300 ? json.substring(0, 300) : json)
        .isEqualTo(tree);
  }

  /** Everything a read gives, or everything its error says. */
  private static String outcome(Supplier<FhirData> read) {
    try {
      FhirData data = read.get();
      StringBuilder all = new StringBuilder("read ").append(data.skipped())
          .append(data.warnings());
      for (PatientRecord record : data.patients()) {
        all.append('\n').append(record.facts().toList()).append(record.warnings())
            .append(record.draftOrders());
      }
      return all.toString();
    } catch (InvalidPatientDataException e) {
      return "refused " + e.source() + " | " + e.path() + " | " + e.getMessage();
    }
  }

  private static String damaged(String json, Random random) {
    JsonNode root = FhirInputs.tree(json);
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits; i++) {
      List<ObjectNode> objects = new ArrayList<>();
      collect(root, objects);
      ObjectNode target = objects.get(random.nextInt(objects.size()));
      switch (random.nextInt(7)) {
        case 0 -> moveToEnd(target, random);
        case 5 -> wrapInBundle(target, random);
        case 6 -> {
          List<String> names = names(target);
          if (!names.isEmpty()) {
            target.remove(names.get(random.nextInt(names.size())));
          }
        }
        case 1 -> {
          if (target.has("resourceType")) {
            target.put("resourceType", SKIPPED_TYPES.get(random.nextInt(SKIPPED_TYPES.size())));
          }
        }
        case 2 -> {
          List<String> names = names(target);
          if (!names.isEmpty()) {
            target.set(names.get(random.nextInt(names.size())),
                FhirInputs.tree(VALUES.get(random.nextInt(VALUES.size()))));
          }
        }
        case 3 -> addNull(root, random);
        default -> target.put("resourceType", target.path("resourceType").asText("Claim"));
      }
    }
    String text = FhirInputs.write(root);
    return switch (random.nextInt(8)) {
      case 0 -> text.substring(0, random.nextInt(text.length()));
      case 1 -> {
        int at = random.nextInt(text.length());
        yield text.substring(0, at) + NOISE.charAt(random.nextInt(NOISE.length()))
            + text.substring(at);
      }
      case 2 -> duplicateKey(text, random);
      case 3 -> text.replaceFirst("\"value\": [0-9.]+", "\"value\": 1e2147483648");
      case 4 -> "\uFEFF" + text;
      case 5 -> {
        int quote = text.indexOf(": \"", random.nextInt(text.length()));
        yield quote < 0 ? text : text.substring(0, quote + 3) + "\\ud800"
            + text.substring(quote + 3);
      }
      default -> text;
    };
  }

  /**
   * Turns a resource into a Bundle holding it in its one entry (a Bundle within a Bundle), under
   * a fullUrl, or without one.
   */
  private static void wrapInBundle(ObjectNode target, Random random) {
    if (!target.has("resourceType")) {
      return;
    }
    ObjectNode resource = target.deepCopy();
    target.removeAll();
    target.put("resourceType", "Bundle");
    ObjectNode entry = target.putArray("entry").addObject();
    if (random.nextBoolean()) {
      entry.put("fullUrl", "urn:uuid:wrapped-" + random.nextInt(3));
    }
    entry.set("resource", resource);
  }

  private static void collect(JsonNode node, List<ObjectNode> objects) {
    if (node instanceof ObjectNode object) {
      objects.add(object);
    }
    node.forEach(child -> collect(child, objects));
  }

  private static List<String> names(ObjectNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void moveToEnd(ObjectNode object, Random random) {
    List<String> names = names(object);
    if (names.isEmpty()) {
      return;
    }
    String name = names.get(random.nextInt(names.size()));
    JsonNode value = object.remove(name);
    object.set(name, value);
  }

  private static void addNull(JsonNode root, Random random) {
    List<ArrayNode> arrays = new ArrayList<>();
    collectArrays(root, arrays);
    if (!arrays.isEmpty()) {
      ArrayNode array = arrays.get(random.nextInt(arrays.size()));
      array.insertNull(random.nextInt(array.size() + 1));
    }
  }

  private static void collectArrays(JsonNode node, List<ArrayNode> arrays) {
    if (node instanceof ArrayNode array) {
      arrays.add(array);
    }
    for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
      collectArrays(children.next(), arrays);
    }
  }

  /** The text with one {@code "name": } written twice in its object. */
  private static String duplicateKey(String text, Random random) {
    List<Integer> keys = new ArrayList<>();
    for (int at = text.indexOf("\": "); at >= 0; at = text.indexOf("\": ", at + 1)) {
      keys.add(at);
    }
    if (keys.isEmpty()) {
      return text;
    }
    int colon = keys.get(random.nextInt(keys.size()));
    int start = text.lastIndexOf('"', colon - 1);
    String name = text.substring(start, colon + 3);
    return text.substring(0, start) + name + "0, " + text.substring(start);
  }
}
