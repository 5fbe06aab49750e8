package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.FhirCode;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Quantity;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Typed reads of one resource's fields: a value of the wrong JSON type, or one that breaks its
 * FHIR type's rules, is an error naming the resource's source and the field's JSON path. Each
 * {@code path} argument is the path of {@code node} relative to the resource ({@code ""} for
 * the resource itself).
 */
final class JsonFields {

  private static final String UCUM = "http://unitsofmeasure.org";

  private final LocatedResource at;
  /**
   * Quantities left out because they are not exact values with a unit: a comparator such as
   * {@code <5.7}, or no unit at all.
   */
  private final List<String> inexactValues = new ArrayList<>();

  JsonFields(LocatedResource at) {
    this.at = at;
  }

  /**
   * {@code text} fit to quote in a message: control characters and the bidirectional controls
   * as {@code \}{@code uXXXX}, and at most 64 characters, then {@code ...}.
   */
  static String printable(String text) {
    return printable(text, 64);
  }

  /** {@code text} fit to quote in a message, as {@link #printable(String)}, at most max long. */
  static String printable(String text, int max) {
    String cut = text.length() > max ? text.substring(0, max) : text;
    StringBuilder shown = new StringBuilder(cut.length() + 8);
    for (char c : cut.toCharArray()) {
      if (Character.isISOControl(c) || (c >= 0x202a && c <= 0x202e)
          || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c) {
        shown.append(String.format("\\u%04X", (int) c));
      } else {
        shown.append(c);
      }
    }
    return cut.length() < text.length() ? shown.append("...").toString() : shown.toString();
  }

  /** The quantities read so far that were left out as not exact values with a unit. */
  List<String> inexactValues() {
    return inexactValues;
  }

  /** The field's value when present and of the JSON type, null when absent or null. */
  private JsonNode ofType(JsonNode node, String field, String path, JsonNodeType type,
      String expected) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.getNodeType() != type) {
      throw at.error(path + "." + field, "expected " + expected + ", got " + value.getNodeType());
    }
    return value;
  }

  /** An object of an array field, with its JSON path relative to the resource. */
  record Item(JsonNode node, String path) {}

  /**
   * The elements of an array field in order, each with its path, or none when the field is
   * absent; an element that is not an object is an error when the iteration reaches it.
   */
  Iterable<Item> objects(JsonNode node, String field, String path) {
    JsonNode array = array(node, field, path);
    if (array == null) {
      return List.of();
    }
    return () -> new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < array.size();
      }

      @Override
      public Item next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int i = next++;
        String itemPath = path + "." + field + "[" + i + "]";
        if (!array.get(i).isObject()) {
          throw at.error(itemPath, "expected an object");
        }
        return new Item(array.get(i), itemPath);
      }
    };
  }

  String text(JsonNode node, String field, String path) {
    JsonNode value = ofType(node, field, path, JsonNodeType.STRING, "a string");
    return value == null ? null : value.asText();
  }

  String requiredText(JsonNode node, String field, String path) {
    String value = text(node, field, path);
    if (value == null || value.isBlank()) {
      throw at.error(path + "." + field, "a non-empty string is required");
    }
    return value;
  }

  JsonNode object(JsonNode node, String field, String path) {
    return ofType(node, field, path, JsonNodeType.OBJECT, "an object");
  }

  JsonNode requiredObject(JsonNode node, String field, String path) {
    JsonNode value = object(node, field, path);
    if (value == null) {
      throw at.error(path + "." + field, "is required");
    }
    return value;
  }

  JsonNode array(JsonNode node, String field, String path) {
    return ofType(node, field, path, JsonNodeType.ARRAY, "an array");
  }

  Boolean bool(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw at.error(path + "." + field, "expected true or false, got " + value);
    }
    return value.booleanValue();
  }

  Integer integer(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw at.error(path + "." + field, "expected an integer, got " + value);
    }
    return value.intValue();
  }

  <E extends Enum<E> & FhirCode> E code(JsonNode node, String field, String path,
      Class<E> type, boolean required) {
    String value = required ? requiredText(node, field, path) : text(node, field, path);
    if (value == null) {
      return null;
    }
    try {
      return FhirCode.fromCode(type, value);
    } catch (IllegalArgumentException e) {
      throw at.error(path + "." + field, e.getMessage());
    }
  }

  Code coding(JsonNode coding, String path) {
    String system = text(coding, "system", path);
    String code = text(coding, "code", path);
    if (system == null || code == null || system.isBlank() || code.isBlank()) {
      return null;
    }
    return new Code(system, code, text(coding, "display", path));
  }

  /** A CodeableConcept, or null when absent or when none of its codings has system and code. */
  CodeableConcept concept(JsonNode node, String field, String path) {
    JsonNode concept = object(node, field, path);
    return concept == null ? null : concept(concept, path + "." + field);
  }

  CodeableConcept concept(JsonNode concept, String path) {
    List<Code> codes = new ArrayList<>();
    for (Item coding : objects(concept, "coding", path)) {
      Code code = coding(coding.node(), coding.path());
      if (code != null) {
        codes.add(code);
      }
    }
    return codes.isEmpty() ? null : new CodeableConcept(codes, text(concept, "text", path));
  }

  /** The codings of every concept in an array field merged into one concept, or null. */
  CodeableConcept mergedConcepts(JsonNode node, String field, String path) {
    List<Code> codes = new ArrayList<>();
    for (Item item : objects(node, field, path)) {
      CodeableConcept concept = concept(item.node(), item.path());
      if (concept != null) {
        codes.addAll(concept.codings());
      }
    }
    return codes.isEmpty() ? null : new CodeableConcept(codes, null);
  }

  ClinicalTime time(JsonNode node, String field, String path) {
    String text = text(node, field, path);
    if (text == null) {
      return null;
    }
    try {
      return ClinicalTime.parse(text);
    } catch (DateTimeParseException e) {
      throw at.error(path + "." + field, e.getMessage());
    }
  }

  Period period(JsonNode node, String field, String path) {
    JsonNode period = object(node, field, path);
    if (period == null) {
      return null;
    }
    ClinicalTime start = time(period, "start", path + "." + field);
    ClinicalTime end = time(period, "end", path + "." + field);
    if (start == null && end == null) {
      return null;
    }
    if (endsBefore(start, end)) {
      throw at.error(path + "." + field, "the period ends (" + end + ") before it starts ("
          + start + ")");
    }
    return new Period(start, end);
  }

  /**
   * Whether both times are given and {@code end} is before {@code start}. A date beside an
   * instant counts as before only when a day apart: the instant's day depends on an offset no
   * longer known.
   */
  static boolean endsBefore(ClinicalTime start, ClinicalTime end) {
    return start != null && end != null
        && (start.instant() != null && end.instant() != null
        ? end.instant().isBefore(start.instant())
        : end.latestDate(ZoneOffset.UTC)
            .plusDays(start.instant() != null || end.instant() != null ? 1 : 0)
            .isBefore(start.earliestDate(ZoneOffset.UTC)));
  }

  /** A dateTime or Period choice such as effective[x], as a period; null when neither. */
  Period dateTimeOrPeriod(JsonNode node, String choice, String path) {
    ClinicalTime dateTime = time(node, choice + "DateTime", path);
    if (dateTime != null) {
      return Period.at(dateTime);
    }
    ClinicalTime instant = time(node, choice + "Instant", path);
    if (instant != null) {
      return Period.at(instant);
    }
    return period(node, choice + "Period", path);
  }

  Quantity quantity(JsonNode node, String field, String path) {
    return quantity(node, field, path, false);
  }

  /**
   * A quantity; with {@code unitlessIsCount}, a value with no unit is a count with the unit
   * {@code 1} (a dispense quantity), otherwise it is left out with a warning.
   */
  Quantity quantity(JsonNode node, String field, String path, boolean unitlessIsCount) {
    JsonNode quantity = object(node, field, path);
    if (quantity == null) {
      return null;
    }
    JsonNode value = quantity.get("value");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw at.error(path + "." + field + ".value", "expected a number, got " + value);
    }
    BigDecimal decimal = value.decimalValue();
    if (decimal.precision() > 50 || Math.abs(decimal.scale()) > 50) {
      throw at.error(path + "." + field + ".value", "the value " + value.asText()
          + " is beyond the magnitudes and precision clinical values have");
    }
    String comparator = text(quantity, "comparator", path + "." + field);
    if (comparator != null) {
      inexactValues.add(comparator + value.asText());
      return null;
    }
    String system = text(quantity, "system", path + "." + field);
    String unit = UCUM.equals(system) ? text(quantity, "code", path + "." + field) : null;
    if (unit == null) {
      unit = text(quantity, "unit", path + "." + field);
    }
    if (unit == null && system == null) {
      unit = text(quantity, "code", path + "." + field);
    }
    if ((unit == null || unit.isBlank()) && unitlessIsCount) {
      return new Quantity(decimal, "1");
    }
    if (unit == null || unit.isBlank()) {
      // Never guess: a unitless value read as "1" would convert to 100 % under UCUM.
      inexactValues.add(value.asText() + " with no unit");
      return null;
    }
    return new Quantity(value.decimalValue(), unit);
  }

  /**
   * The text of a Reference field's {@code reference}, e.g. {@code Practitioner/123}, or null
   * when the field or its reference is absent.
   */
  String referenceText(JsonNode node, String field, String path) {
    JsonNode reference = object(node, field, path);
    if (reference == null) {
      return null;
    }
    String text = text(reference, "reference", path + "." + field);
    return text == null || text.isBlank() ? null : text;
  }
}
