package io.github.cdsengine.core.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.cdsengine.core.InvalidDataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads scenario files: JSON objects with the fields of {@link Scenario}, the patient record in
 * the field names of {@link io.github.cdsengine.core.model.PatientRecord} and its fact records.
 *
 * <p>Reading is strict: an unknown field, a wrong JSON type, a missing required field, an
 * impossible date or trailing content after the object is an {@link InvalidDataException}
 * naming the JSON path.
 */
public final class ScenarioReader {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .addModule(strictTimes())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      // Nor a number or true/false read as text.
      .withCoercionConfig(LogicalType.Textual, text -> text
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .build();

  private ScenarioReader() {}

  /** Instants only as ISO text with an offset, dates only as {@code YYYY-MM-DD}. */
  private static SimpleModule strictTimes() {
    SimpleModule module = new SimpleModule("strict-times");
    module.addDeserializer(Instant.class, new JsonDeserializer<>() {
      @Override
      public Instant deserialize(JsonParser parser, DeserializationContext context)
          throws IOException {
        String text = requireText(parser, context, Instant.class);
        return OffsetDateTime.parse(text).toInstant();
      }
    });
    module.addDeserializer(LocalDate.class, new JsonDeserializer<>() {
      @Override
      public LocalDate deserialize(JsonParser parser, DeserializationContext context)
          throws IOException {
        return LocalDate.parse(requireText(parser, context, LocalDate.class));
      }
    });
    return module;
  }

  private static String requireText(JsonParser parser, DeserializationContext context,
      Class<?> type) throws IOException {
    if (!parser.hasToken(JsonToken.VALUE_STRING)) {
      context.reportInputMismatch(type, "expected an ISO %s string, got %s",
          type == Instant.class ? "date-time with offset" : "date (YYYY-MM-DD)",
          parser.currentToken());
    }
    return parser.getText();
  }

  /**
   * Reads the scenario file at {@code path}.
   *
   * @throws InvalidDataException naming the file and JSON path of what is wrong
   */
  public static Scenario read(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return read(in, path.toString());
    } catch (IOException e) {
      throw new InvalidDataException(path.toString(), "$", "cannot read: " + e.getMessage());
    }
  }

  /**
   * Reads one scenario from {@code in}.
   *
   * @param source where the JSON came from, for error messages
   * @throws InvalidDataException naming the source and JSON path of what is wrong
   */
  public static Scenario read(InputStream in, String source) {
    try {
      Scenario scenario = JSON.readValue(in, Scenario.class);
      if (scenario == null) {
        throw new InvalidDataException(source, "$", "expected a scenario object, got null");
      }
      return scenario;
    } catch (JsonMappingException e) {
      throw new InvalidDataException(source, path(e), problem(e));
    } catch (JsonProcessingException e) {
      throw new InvalidDataException(source, "$", "not valid JSON: " + e.getOriginalMessage()
          + " at line " + e.getLocation().getLineNr());
    } catch (IOException e) {
      throw new InvalidDataException(source, "$", "cannot read: " + e.getMessage());
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder("$");
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append('.').append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String problem(JsonMappingException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
      if (root instanceof DateTimeParseException parse) {
        return "'" + parse.getParsedString() + "' is not a valid date or date-time: "
            + (parse.getCause() != null ? parse.getCause().getMessage() : parse.getMessage());
      }
    }
    String message = root == e ? e.getOriginalMessage() : root.getMessage();
    int detail = message == null ? -1 : message.indexOf("\n at [Source");
    return detail >= 0 ? message.substring(0, detail) : String.valueOf(message);
  }
}
