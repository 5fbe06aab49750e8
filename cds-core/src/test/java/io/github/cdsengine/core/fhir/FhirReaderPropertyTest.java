package io.github.cdsengine.core.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever is done to a valid FHIR input, the reader either reads it or refuses it with an
 * {@link InvalidPatientDataException} naming the path; no other exception escapes.
 *
 * <p>Each property starts from the hand-written inputs under {@code src/test/resources/fhir/} and
 * applies one kind of damage at a random place. A failing try is printed with the seed input,
 * the edits and the resulting JSON, and jqwik reports the random seed that reproduces the run
 * ({@code @Property(seed = "...")}).
 */
class FhirReaderPropertyTest {

  private static final int TRIES = 1000;
  private static final String READ = "read";
  private static final String REFUSED = "refused";
  private static final List<String> BUNDLES = List.of(FhirInputs.EVERY_RESOURCE_TYPE,
      FhirInputs.TWO_INPATIENTS, FhirInputs.ORDERS);
  private static final List<String> INPUTS = List.of(FhirInputs.EVERY_RESOURCE_TYPE,
      FhirInputs.TWO_INPATIENTS, FhirInputs.ORDERS, "split-case/patient.json");
  private static final Pattern DATE = Pattern.compile("\\d{4}(-\\d{2}(-\\d{2}(T.+)?)?)?");
  /** Values of every JSON type, as JSON text, to put where a value of another type was. */
  private static final List<String> VALUES = List.of("\"x\"", "\"\"", "\" \"", "0", "-7", "1.5",
      "123456789012345678901234567890", "true", "false", "null", "{}", "[]", "[\"x\"]",
      "{\"x\": 1}", "[{}]", "\"2023-02-30\"", "\"Patient/p1\"");
  /** Characters to insert: JSON structure, digits, letters, escapes, controls and non-ASCII. */
  private static final String NOISE = "{}[]\":,\\ \t\n-+.eE0123456789truefalsnul/#xZT\u0000\u001f"
      + "\u00e9\u2028\ufeff\ud83d\ude00";

  private static final List<JsonNode> VALUE_NODES = VALUES.stream().map(FhirInputs::tree)
      .toList();

  private static final FhirReader STRICT = FhirReader.create();
  private static final FhirReader ONE_PATIENT = STRICT.onePatientPerInput();

  /** Each input's text, tree and values, parsed once: generation stays cheap. */
  private static final Map<String, Parsed> PARSED = INPUTS.stream().collect(
      Collectors.toMap(name -> name, Parsed::of));

  @Property(tries = TRIES)
  void deletingAFieldNeverEscapes(@ForAll("deletedField") Mutated input) {
    readsOrRefuses(input);
  }

  @Property(tries = TRIES)
  void aValueOfAnotherJsonTypeNeverEscapes(@ForAll("valueOfAnotherType") Mutated input) {
    readsOrRefuses(input);
  }

  @Property(tries = TRIES)
  void truncatingTheTextNeverEscapes(@ForAll("truncated") Mutated input) {
    readsOrRefuses(input);
  }

  @Property(tries = TRIES)
  void insertingCharactersNeverEscapes(@ForAll("insertedCharacters") Mutated input) {
    readsOrRefuses(input);
  }

  @Property(tries = TRIES)
  void duplicatingAnEntryNeverEscapes(@ForAll("duplicatedEntry") Mutated input) {
    readsOrRefuses(input);
  }

  @Property(tries = TRIES)
  void randomDigitsInADateNeverEscape(@ForAll("randomDigitsInADate") Mutated input) {
    readsOrRefuses(input);
  }

  @Property(tries = TRIES)
  void anObjectWhereAStringWasNeverEscapes(@ForAll("objectForAString") Mutated input) {
    readsOrRefuses(input);
  }

  @Property(tries = TRIES)
  void severalEditsTogetherNeverEscape(@ForAll("severalEdits") Mutated input) {
    readsOrRefuses(input);
  }

  /**
   * Reads {@code input} with the strict reader and the one-patient-per-input reader: each either
   * returns or throws the documented exception naming the source and a JSON path. Across the
   * tries, the strict reader must both read and refuse some inputs, or the damage is not
   * exercising the reader.
   */
  private static void readsOrRefuses(Mutated input) {
    String strict = readOrRefuse(STRICT, input);
    String onePatient = readOrRefuse(ONE_PATIENT, input);
    Statistics.collect(strict, onePatient);
    Statistics.coverage(coverage -> {
      coverage.check(READ, READ).count(n -> n > 0);
      coverage.check(REFUSED, REFUSED).count(n -> n > 0);
    });
  }

  private static String readOrRefuse(FhirReader reader, Mutated input) {
    try {
      FhirData data = reader.read(FhirInputs.stream(input.json()), FhirInputs.SOURCE);
      assertThat(data.patients()).doesNotContainNull();
      return READ;
    } catch (InvalidPatientDataException e) {
      assertThat(e.source()).isEqualTo(FhirInputs.SOURCE);
      assertThat(e.path()).startsWith("$");
      assertThat(e.getMessage()).startsWith(FhirInputs.SOURCE + ": " + e.path() + ": ");
      return REFUSED;
    }
  }

  @Provide
  Arbitrary<Mutated> deletedField() {
    return edited(INPUTS, FhirReaderPropertyTest::deletedField);
  }

  @Provide
  Arbitrary<Mutated> valueOfAnotherType() {
    return edited(INPUTS, FhirReaderPropertyTest::valueOfAnotherType);
  }

  @Provide
  Arbitrary<Mutated> truncated() {
    return Arbitraries.of(INPUTS).flatMap(name -> {
      String text = PARSED.get(name).text();
      return Arbitraries.integers().between(0, text.length() - 1).map(end ->
          new Mutated(name, List.of("truncate at " + end), text.substring(0, end)));
    });
  }

  @Provide
  Arbitrary<Mutated> insertedCharacters() {
    return Arbitraries.of(INPUTS).flatMap(name -> {
      String text = PARSED.get(name).text();
      return Combinators.combine(Arbitraries.integers().between(0, text.length()), noise())
          .as((at, noise) -> new Mutated(name,
              List.of("insert " + escape(noise) + " at " + at),
              text.substring(0, at) + noise + text.substring(at)));
    });
  }

  @Provide
  Arbitrary<Mutated> duplicatedEntry() {
    return edited(BUNDLES, FhirReaderPropertyTest::duplicatedEntry);
  }

  @Provide
  Arbitrary<Mutated> randomDigitsInADate() {
    return edited(INPUTS, FhirReaderPropertyTest::randomDigitsInADate);
  }

  @Provide
  Arbitrary<Mutated> objectForAString() {
    return edited(INPUTS, FhirReaderPropertyTest::objectForAString);
  }

  /** Two to four edits of any kind, then, one time in three, a truncation or an insertion. */
  @Provide
  Arbitrary<Mutated> severalEdits() {
    return Arbitraries.of(BUNDLES).flatMap(name -> {
      Parsed input = PARSED.get(name);
      Arbitrary<Edit> anyEdit = Arbitraries.oneOf(List.of(deletedField(input),
          valueOfAnotherType(input), duplicatedEntry(input), randomDigitsInADate(input),
          objectForAString(input)));
      Arbitrary<TextEdit> textEdit = Arbitraries.frequencyOf(
          Tuple.of(4, Arbitraries.just(new TextEdit("none", 0, ""))),
          Tuple.of(1, Arbitraries.doubles().between(0, 1)
              .map(at -> new TextEdit("truncate", at, ""))),
          Tuple.of(1, Combinators.combine(Arbitraries.doubles().between(0, 1), noise())
              .as((at, noise) -> new TextEdit("insert", at, noise))));
      return Combinators.combine(anyEdit.list().ofMinSize(2).ofMaxSize(4), textEdit)
          .as((edits, text) -> {
            JsonNode copy = input.tree().deepCopy();
            List<String> done = new ArrayList<>();
            for (Edit edit : edits) {
              edit.action().accept(copy);
              done.add(edit.description());
            }
            done.add(text.toString());
            return new Mutated(name, done, text.applyTo(FhirInputs.write(copy)));
          });
    });
  }

  // ---- edits of a JSON tree ----

  /** Any value removed from its object or array. */
  private static Arbitrary<Edit> deletedField(Parsed input) {
    return Arbitraries.of(input.nodes()).map(node -> new Edit("delete " + node.pointer(),
        root -> remove(root, node.pointer())));
  }

  /** A value of another JSON type at any place. */
  private static Arbitrary<Edit> valueOfAnotherType(Parsed input) {
    return Arbitraries.of(input.nodes()).flatMap(node -> Arbitraries.of(VALUE_NODES.stream()
            .filter(value -> value.getNodeType() != node.value().getNodeType())
            .toList())
        .map(value -> new Edit("set " + node.pointer() + " to " + value,
            root -> replace(root, node.pointer(), value.deepCopy()))));
  }

  /** A copy of one entry inserted at any position of the entry array. */
  private static Arbitrary<Edit> duplicatedEntry(Parsed input) {
    int size = input.tree().path("entry").size();
    return Combinators.combine(Arbitraries.integers().between(0, size - 1),
            Arbitraries.integers().between(0, size))
        .as((from, to) -> new Edit("copy /entry/" + from + " to position " + to, root -> {
          if (root.get("entry") instanceof ArrayNode entries && from < entries.size()) {
            entries.insert(Math.min(to, entries.size()), entries.get(from).deepCopy());
          }
        }));
  }

  /** Random digits in place of a date's, either keeping its punctuation or not. */
  private static Arbitrary<Edit> randomDigitsInADate(Parsed input) {
    List<Node> dates = input.nodes().stream()
        .filter(n -> n.value().isTextual() && DATE.matcher(n.value().asText()).matches())
        .toList();
    return Arbitraries.of(dates).flatMap(node -> {
      String date = node.value().asText();
      int digits = (int) date.chars().filter(Character::isDigit).count();
      Arbitrary<String> samePunctuation = Arbitraries.strings().numeric().ofLength(digits)
          .map(random -> {
            StringBuilder out = new StringBuilder(date);
            for (int i = 0, d = 0; i < out.length(); i++) {
              if (Character.isDigit(out.charAt(i))) {
                out.setCharAt(i, random.charAt(d++));
              }
            }
            return out.toString();
          });
      Arbitrary<String> onlyDigits = Arbitraries.strings().numeric().ofMinLength(0)
          .ofMaxLength(14);
      return Arbitraries.oneOf(List.of(samePunctuation, onlyDigits)).map(value ->
          new Edit("set " + node.pointer() + " to \"" + value + "\"", root ->
              replace(root, node.pointer(), JsonNodeFactory.instance.textNode(value))));
    });
  }

  /** A string wrapped in an object (or an array), as if the schema had one more level. */
  private static Arbitrary<Edit> objectForAString(Parsed input) {
    List<Node> strings = input.nodes().stream().filter(n -> n.value().isTextual()).toList();
    return Combinators.combine(Arbitraries.of(strings), Arbitraries.of("value", "reference",
            "coding", "[]"))
        .as((node, wrapper) -> new Edit("wrap " + node.pointer() + " in " + wrapper, root -> {
          JsonNode nested = wrapper.equals("[]")
              ? JsonNodeFactory.instance.arrayNode().add(node.value().deepCopy())
              : JsonNodeFactory.instance.objectNode().set(wrapper, node.value().deepCopy());
          replace(root, node.pointer(), nested);
        }));
  }

  // ---- plumbing ----

  /** One random edit of one of {@code inputs}, chosen among those {@code edits} offers. */
  private static Arbitrary<Mutated> edited(List<String> inputs,
      Function<Parsed, Arbitrary<Edit>> edits) {
    return Arbitraries.of(inputs).flatMap(name -> {
      Parsed input = PARSED.get(name);
      return edits.apply(input).map(edit -> {
        JsonNode copy = input.tree().deepCopy();
        edit.action().accept(copy);
        return new Mutated(name, List.of(edit.description()), FhirInputs.write(copy));
      });
    });
  }

  private static Arbitrary<String> noise() {
    return Arbitraries.strings().withChars(NOISE.toCharArray()).ofMinLength(1).ofMaxLength(6);
  }

  /** Every value below the root, with its JSON pointer, in document order. */
  private static List<Node> nodes(JsonNode tree) {
    List<Node> nodes = new ArrayList<>();
    collect(tree, "", nodes);
    return nodes;
  }

  private static void collect(JsonNode node, String pointer, List<Node> into) {
    if (node.isObject()) {
      node.properties().forEach(field -> {
        String child = pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
        into.add(new Node(child, field.getValue()));
        collect(field.getValue(), child, into);
      });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        into.add(new Node(pointer + "/" + i, node.get(i)));
        collect(node.get(i), pointer + "/" + i, into);
      }
    }
  }

  /** Removes the value at {@code pointer}; nothing when an earlier edit already moved it. */
  private static void remove(JsonNode root, String pointer) {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = root.at(pointer.substring(0, slash));
    String last = unescape(pointer.substring(slash + 1));
    if (parent instanceof ObjectNode object) {
      object.remove(last);
    } else if (parent instanceof ArrayNode array && index(array, last) >= 0) {
      array.remove(index(array, last));
    }
  }

  /** Sets the value at {@code pointer}; nothing when an earlier edit already moved it. */
  private static void replace(JsonNode root, String pointer, JsonNode value) {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = root.at(pointer.substring(0, slash));
    String last = unescape(pointer.substring(slash + 1));
    if (parent instanceof ObjectNode object) {
      object.set(last, value);
    } else if (parent instanceof ArrayNode array && index(array, last) >= 0) {
      array.set(index(array, last), value);
    }
  }

  private static int index(ArrayNode array, String segment) {
    try {
      int index = Integer.parseInt(segment);
      return index < array.size() ? index : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String unescape(String segment) {
    return segment.replace("~1", "/").replace("~0", "~");
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder("\"");
    text.codePoints().forEach(c -> out.append(c < 0x20 || c > 0x7e
        ? String.format("\\u%04x", c) : Character.toString(c)));
    return out.append('"').toString();
  }

  /** An input as text, as a tree, and every value in the tree; shared, never edited. */
  private record Parsed(String text, JsonNode tree, List<Node> nodes) {

    static Parsed of(String name) {
      String text = FhirInputs.text(name);
      JsonNode tree = FhirInputs.tree(text);
      return new Parsed(text, tree, List.copyOf(FhirReaderPropertyTest.nodes(tree)));
    }
  }

  /** A value in a JSON tree and its JSON pointer. */
  private record Node(String pointer, JsonNode value) {}

  /** An edit of a JSON tree, described for the failure report. */
  private record Edit(String description, Consumer<JsonNode> action) {}

  /** A truncation or an insertion at a fraction of the text's length. */
  private record TextEdit(String kind, double at, String noise) {

    String applyTo(String text) {
      int offset = (int) Math.round(at * text.length());
      return switch (kind) {
        case "truncate" -> text.substring(0, Math.min(offset, text.length() - 1));
        case "insert" -> text.substring(0, offset) + noise + text.substring(offset);
        default -> text;
      };
    }

    @Override
    public String toString() {
      return kind.equals("none") ? "no text edit"
          : kind + " " + (kind.equals("insert") ? escape(noise) + " " : "") + "at " + at
              + " of the text";
    }
  }

  /** A damaged input: the input it came from, what was done to it, and the resulting JSON. */
  record Mutated(String input, List<String> edits, String json) {

    @Override
    public String toString() {
      return input + " " + edits + "\n" + json;
    }
  }
}
