package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.ClassUtil;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One JSON document read from its token stream into the resources the input takes, with the
 * same result as parsing it whole ({@link FhirDocuments#parse}) and then taking its resources
 * ({@link FhirDocuments#forEachResource}), but without a tree of what no rule reads: a resource
 * of a type no rule uses is checked token by token and only counted, and a Bundle is taken apart
 * as it streams by. Only a resource of a type read as a fact (or a Medication) becomes a tree,
 * for its mapper.
 *
 * <p>Nothing is handed over before the whole document has been read: malformed JSON anywhere,
 * trailing content and the parser's limits are reported first, as when the document is parsed
 * whole, and then the resources, the skipped types and the first fault of the Bundle's structure
 * in document order. A resource whose {@code resourceType} is not its first member, or is not a
 * non-blank string, is read as a tree and taken apart as {@link FhirDocuments#forEachResource}
 * does, so that every fault is found where and in the order the tree reader finds it.
 *
 * <p>Values in a skipped resource are checked as a tree would check them: each string is
 * decoded (its length bounded by the parser's limit) and each decimal converted, so an input the
 * tree reader refuses is refused here too.
 */
final class StreamedDocument {

  /** Reads one value (or the rest of an object, from a member's name) as the tree reader does. */
  private static final ObjectReader TREES = FhirDocuments.JSON.reader()
      .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final JsonNodeFactory NODES = FhirDocuments.JSON.getNodeFactory();

  /** A resource of a type no rule uses, to be counted. */
  private record Skipped(String type) {}

  /**
   * What a part of the document holds, in document order, up to and including its first fault:
   * each a {@link LocatedResource}, a {@link Skipped} type or an {@link
   * InvalidPatientDataException}.
   */
  private static final class Findings {
    final List<Object> items = new ArrayList<>();
    boolean failed;

    void add(Object item) {
      if (!failed) {
        items.add(item);
        failed = item instanceof InvalidPatientDataException;
      }
    }

    void addAll(Findings other) {
      for (Object item : other.items) {
        add(item);
      }
    }
  }

  private final String source;

  private StreamedDocument(String source) {
    this.source = source;
  }

  /**
   * Adds the resources of the document in {@code in} (a Bundle or a single resource) to {@code
   * index}, as {@code index.add(FhirDocuments.parse(in, source), source)} would; {@code in} is
   * closed.
   *
   * @throws InvalidPatientDataException naming the source and JSON path of what is wrong
   */
  static void addTo(ResourceIndex index, InputStream in, String source) {
    Findings found = new StreamedDocument(source).read(in);
    for (Object item : found.items) {
      if (item instanceof LocatedResource located) {
        index.add(located);
      } else if (item instanceof Skipped skipped) {
        index.skip(skipped.type());
      } else {
        throw (InvalidPatientDataException) item;
      }
    }
  }

  private Findings read(InputStream in) {
    Findings found = new Findings();
    String rootType;
    try (JsonParser parser = FhirDocuments.JSON.createParser(in)) {
      JsonToken first = parser.nextToken();
      if (first == JsonToken.START_OBJECT) {
        resource(parser, "$", found);
        rootType = null;
      } else {
        rootType = first == null ? "MISSING" : nodeType(first);
        if (first != null) {
          skipValue(parser);
        }
      }
      if (first != null) {
        noTrailingTokens(parser);
      }
    } catch (IOException | RuntimeException e) {
      throw FhirDocuments.unreadable(e, source);
    }
    if (rootType != null) {
      throw new InvalidPatientDataException(source, "$", "expected a JSON object (a FHIR "
          + "resource), got " + rootType);
    }
    return found;
  }

  /** The tree reader's name for the type of the value that starts with {@code token}. */
  private static String nodeType(JsonToken token) {
    return switch (token) {
      case START_ARRAY -> "ARRAY";
      case VALUE_STRING -> "STRING";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "NUMBER";
      case VALUE_TRUE, VALUE_FALSE -> "BOOLEAN";
      case VALUE_NULL -> "NULL";
      default -> token.name();
    };
  }

  /** Refuses a token after the root value, with the message the tree reader gives. */
  private static void noTrailingTokens(JsonParser parser) throws IOException {
    JsonToken trailing = parser.nextToken();
    if (trailing != null) {
      throw MismatchedInputException.from(parser, JsonNode.class, String.format(
          "Trailing token (of type %s) found after value (bound as %s): not allowed as per "
              + "`DeserializationFeature.FAIL_ON_TRAILING_TOKENS`",
          trailing, ClassUtil.nameOf(JsonNode.class)));
    }
  }

  /**
   * Reads the resource object the parser stands at the start of, found at {@code at}; returns
   * the resource when it is one read for the input (not a Bundle), so that its entry can give it
   * its {@code fullUrl}, else null.
   */
  private LocatedResource resource(JsonParser parser, String at, Findings found)
      throws IOException {
    JsonToken token = parser.nextToken();
    if (token == JsonToken.FIELD_NAME && "resourceType".equals(parser.currentName())) {
      JsonToken value = parser.nextToken();
      String type = value == JsonToken.VALUE_STRING ? parser.getText() : null;
      if (type != null && !type.isBlank()) {
        if (type.equals("Bundle")) {
          bundle(parser, at, found);
          return null;
        }
        if (!ResourceIndex.READ.contains(type)) {
          skipMembers(parser);
          found.add(new Skipped(type));
          return null;
        }
        ObjectNode resource = NODES.objectNode();
        resource.set("resourceType", NODES.textNode(type));
        if (parser.nextToken() == JsonToken.FIELD_NAME) {
          resource.setAll((ObjectNode) TREES.readTree(parser));
        }
        LocatedResource located = new LocatedResource(resource, type, source, at, null);
        found.add(located);
        return located;
      }
      // Not a usable resourceType: the tree reader's checks say what is wrong, and where.
      ObjectNode resource = NODES.objectNode();
      resource.set("resourceType", TREES.readTree(parser));
      if (parser.nextToken() == JsonToken.FIELD_NAME) {
        resource.setAll((ObjectNode) TREES.readTree(parser));
      }
      return taken(resource, at, found);
    }
    ObjectNode resource = token == JsonToken.FIELD_NAME
        ? (ObjectNode) TREES.readTree(parser) : NODES.objectNode();
    return taken(resource, at, found);
  }

  /** A resource read as a tree, taken apart by the tree reader. */
  private LocatedResource taken(ObjectNode resource, String at, Findings found) {
    LocatedResource[] itself = new LocatedResource[1];
    try {
      FhirDocuments.forEachResource(resource, source, at, located -> {
        if (located.resource() == resource) {
          itself[0] = located;
        }
        found.add(located);
      });
    } catch (InvalidPatientDataException e) {
      found.add(e);
    }
    return itself[0];
  }

  /** The members of a Bundle after its resourceType: its entries are taken, the rest skipped. */
  private void bundle(JsonParser parser, String at, Findings found) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (!name.equals("entry")) {
        skipValue(parser);
      } else if (value != JsonToken.START_ARRAY) {
        found.add(new InvalidPatientDataException(source, at + ".entry", "expected an array"));
        skipValue(parser);
      } else {
        int i = 0;
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY && item != null;
            item = parser.nextToken(), i++) {
          String path = at + ".entry[" + i + "]";
          if (item != JsonToken.START_OBJECT) {
            found.add(new InvalidPatientDataException(source, path, "expected an object"));
            skipValue(parser);
          } else {
            entry(parser, path, found);
          }
        }
      }
    }
  }

  /**
   * A Bundle entry, its members in any order: an entry with no resource is passed over, then a
   * resource that is not an object and a fullUrl that is not a string are faults, in that order,
   * before anything in the resource.
   */
  private void entry(JsonParser parser, String path, Findings found) throws IOException {
    boolean hasResource = false;
    boolean resourceIsObject = false;
    boolean fullUrlIsText = true;
    String fullUrl = null;
    Findings inResource = null;
    LocatedResource itself = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (name.equals("resource")) {
        hasResource = true;
        resourceIsObject = value == JsonToken.START_OBJECT;
        if (resourceIsObject) {
          inResource = new Findings();
          itself = resource(parser, path + ".resource", inResource);
        } else {
          skipValue(parser);
        }
      } else if (name.equals("fullUrl")) {
        fullUrlIsText = value == JsonToken.VALUE_STRING;
        if (fullUrlIsText) {
          fullUrl = parser.getText();
        } else {
          skipValue(parser);
        }
      } else {
        skipValue(parser);
      }
    }
    if (!hasResource) {
      return; // a request-only entry (e.g. a DELETE in a transaction)
    }
    if (!resourceIsObject) {
      found.add(new InvalidPatientDataException(source, path + ".resource",
          "expected an object"));
      return;
    }
    if (!fullUrlIsText) {
      found.add(new InvalidPatientDataException(source, path + ".fullUrl", "expected a string"));
      return;
    }
    if (itself != null && fullUrl != null) {
      int at = inResource.items.indexOf(itself);
      inResource.items.set(at, new LocatedResource(itself.resource(), itself.type(),
          itself.source(), itself.path(), fullUrl));
    }
    found.addAll(inResource);
  }

  /** Skips the members of the object the parser is in, up to its end. */
  private static void skipMembers(JsonParser parser) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      parser.nextToken();
      skipValue(parser);
    }
  }

  /**
   * Skips the value the parser stands at, checking it as a tree of it would be checked: every
   * string decoded (within the parser's limit on string length) and every decimal converted.
   */
  private static void skipValue(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
      check(parser, token);
      return;
    }
    int depth = 1;
    while (depth > 0) {
      token = parser.nextToken();
      if (token == null) {
        return; // the parser has refused the unterminated value already
      }
      switch (token) {
        case START_OBJECT, START_ARRAY -> depth++;
        case END_OBJECT, END_ARRAY -> depth--;
        default -> check(parser, token);
      }
    }
  }

  /** Checks a scalar as the tree reader would when it makes a node of it. */
  private static void check(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      // Decoded, and held to the limit a tree's text node is held to when it is made.
      parser.streamReadConstraints().validateStringLength(parser.getTextLength());
    } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      parser.getDecimalValue();
    } else if (token == JsonToken.VALUE_NUMBER_INT) {
      parser.getNumberType();
    }
  }
}
