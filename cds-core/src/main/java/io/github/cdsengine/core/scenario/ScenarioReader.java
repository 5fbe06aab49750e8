package io.github.cdsengine.core.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.fhir.FhirData;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.rule.MeasurementPeriod;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.time.format.DateTimeParseException;

/**
 * Reads scenario files: JSON objects with the fields of {@link Scenario}. The patient is either
 * {@code record}, in the field names of {@link io.github.cdsengine.core.model.PatientRecord} and
 * its fact records, or {@code fhir}: a FHIR R4 Bundle or resource holding one patient, inline or
 * as a file path relative to the scenario file, read by {@link FhirReader}. {@code fhir} may
 * also be a CDS Hooks request: its record is the patient and its draft orders the scenario's
 * {@code draftOrders}; with a Bundle, {@code draftOrders} may list them ({@code Type/id}).
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
      // An inline FHIR patient keeps its decimals exactly as written.
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
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
   * Reads the scenario file at {@code path}; a patient given as a FHIR file path is read
   * relative to the scenario file's directory.
   *
   * @param path the scenario's JSON file
   * @return the scenario, with its patient record read
   * @throws InvalidDataException naming the file and JSON path of what is wrong, or the FHIR
   *     file and its JSON path
   */
  public static Scenario read(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      Path directory = path.toAbsolutePath().getParent();
      return read(in, path.toString(), directory);
    } catch (IOException e) {
      throw new InvalidDataException(path.toString(), "$", "cannot read: " + e.getMessage());
    }
  }

  /**
   * Reads one scenario from {@code in}. A patient may be given inline only: a FHIR path has no
   * file to be relative to.
   *
   * @param in the scenario's JSON
   * @param source where the JSON came from, for error messages
   * @return the scenario, with its inline patient record
   * @throws InvalidDataException naming the source and JSON path of what is wrong
   */
  public static Scenario read(InputStream in, String source) {
    return read(in, source, null);
  }

  /**
   * Reads one scenario from {@code in}, resolving a FHIR file path against {@code directory}.
   *
   * @param in the scenario's JSON
   * @param source where the JSON came from, for error messages
   * @param directory what a FHIR path in the scenario is relative to, or {@code null} to refuse
   *     paths
   * @return the scenario, with its patient record read
   * @throws InvalidDataException naming the source and JSON path of what is wrong, or the FHIR
   *     file and its JSON path
   */
  public static Scenario read(InputStream in, String source, Path directory) {
    WrittenScenario file;
    try {
      file = JSON.readValue(in, WrittenScenario.class);
      if (file == null) {
        throw new InvalidDataException(source, "$", "expected a scenario object, got null");
      }
    } catch (JsonMappingException e) {
      throw new InvalidDataException(source, path(e), problem(e));
    } catch (JsonProcessingException e) {
      throw new InvalidDataException(source, "$", "not valid JSON: " + e.getOriginalMessage()
          + " at line " + e.getLocation().getLineNr());
    } catch (IOException e) {
      throw new InvalidDataException(source, "$", "cannot read: " + e.getMessage());
    }
    requirePresent(file.name(), "name", source);
    Setting setting = file.setting();
    requirePresent(setting.at(), "at", source);
    requirePresent(setting.zone(), "zone", source);
    GivenPatient given = file.patient();
    PatientRecord record = given.record();
    List<String> drafts = given.draftOrders();
    if (record != null && given.fhir() != null) {
      throw new InvalidDataException(source, "$.fhir",
          "give the patient as 'record' or as 'fhir', not both");
    }
    if (record != null && !record.warnings().isEmpty()) {
      throw new InvalidDataException(source, "$.record.warnings", "warnings are what a reader "
          + "found in its input, not part of a scenario's record; leave 'warnings' out");
    }
    if (record != null && !record.draftOrders().isEmpty()) {
      throw new InvalidDataException(source, "$.record.draftOrders", "give the orders being "
          + "written as the scenario's 'draftOrders', which are checked against the record");
    }
    if (record == null) {
      if (given.fhir() == null) {
        throw new InvalidDataException(source, "$", "the patient is required: 'record' (the "
            + "fact model) or 'fhir' (a FHIR Bundle or resource, inline or a file path)");
      }
      JsonNode fhir = fhirJson(given.fhir(), source, directory);
      String where = given.fhir().isTextual()
          ? directory.resolve(given.fhir().asText()).normalize().toString() : source + " $.fhir";
      if (fhir.has("hook") && fhir.has("context")) {
        if (drafts != null) {
          throw new InvalidDataException(source, "$.draftOrders", "a CDS Hooks request names "
              + "its own draft orders; leave 'draftOrders' out");
        }
        CdsHooksRequest request = FhirReader.create().readCdsHooksRequest(
            new ByteArrayInputStream(fhir.toString().getBytes(StandardCharsets.UTF_8)), where);
        record = request.record();
        drafts = request.draftOrders();
      } else {
        record = fhir(fhir, source, where);
      }
    }
    try {
      return new Scenario(file.name(), file.description(), setting.at(), setting.zone(),
          setting.measurementPeriod(), record, file.expect(), setting.packs(), drafts);
    } catch (IllegalArgumentException e) {
      throw new InvalidDataException(source, "$.draftOrders", e.getMessage());
    }
  }

  private static void requirePresent(Object value, String field, String source) {
    if (value == null) {
      throw new InvalidDataException(source, "$." + field, "'" + field + "' is required");
    }
  }

  /** The FHIR JSON given inline, or read from the path relative to the scenario file. */
  private static JsonNode fhirJson(JsonNode fhir, String source, Path directory) {
    if (fhir.isObject()) {
      return fhir;
    }
    if (!fhir.isTextual()) {
      throw new InvalidDataException(source, "$.fhir",
          "expected a FHIR Bundle or resource object, a CDS Hooks request, or a file path");
    }
    if (directory == null) {
      throw new InvalidDataException(source, "$.fhir", "the FHIR path '" + fhir.asText()
          + "' needs a scenario file to be relative to; give the patient inline");
    }
    Path file = directory.resolve(fhir.asText()).normalize();
    if (!Files.isRegularFile(file)) {
      throw new InvalidDataException(source, "$.fhir", "no FHIR file " + file);
    }
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidDataException(file.toString(), "$", "not valid JSON: " + e.getMessage());
    }
  }

  /** The one patient of a FHIR Bundle or resource. */
  private static PatientRecord fhir(JsonNode fhir, String source, String where) {
    FhirData data = FhirReader.create().read(
        new ByteArrayInputStream(fhir.toString().getBytes(StandardCharsets.UTF_8)), where);
    if (data.patients().size() != 1) {
      throw new InvalidDataException(source, "$.fhir", "expected one patient, " + where
          + " has " + data.patients().size());
    }
    return data.patients().get(0);
  }

  /** The scenario as written: the patient as a record or as FHIR. */
  @JsonDeserialize(builder = ScenarioFile.class)
  record WrittenScenario(String name, String description, Setting setting, GivenPatient patient,
      Expectations expect) {}

  /**
   * The scenario file's JSON object, read field by field (each optional here; {@link #read}
   * checks what is required), then grouped as a {@link WrittenScenario}.
   */
  @JsonPOJOBuilder(withPrefix = "")
  static final class ScenarioFile {
    private String name;
    private String description;
    private Instant at;
    private ZoneId zone;
    private MeasurementPeriod measurementPeriod;
    private List<String> packs;
    private PatientRecord record;
    private JsonNode fhir;
    private List<String> draftOrders;
    private Expectations expect;

    ScenarioFile name(String name) {
      this.name = name;
      return this;
    }

    ScenarioFile description(String description) {
      this.description = description;
      return this;
    }

    ScenarioFile at(Instant at) {
      this.at = at;
      return this;
    }

    ScenarioFile zone(ZoneId zone) {
      this.zone = zone;
      return this;
    }

    ScenarioFile measurementPeriod(MeasurementPeriod measurementPeriod) {
      this.measurementPeriod = measurementPeriod;
      return this;
    }

    ScenarioFile packs(List<String> packs) {
      this.packs = packs;
      return this;
    }

    ScenarioFile record(PatientRecord record) {
      this.record = record;
      return this;
    }

    ScenarioFile fhir(JsonNode fhir) {
      this.fhir = fhir;
      return this;
    }

    ScenarioFile draftOrders(List<String> draftOrders) {
      this.draftOrders = draftOrders;
      return this;
    }

    ScenarioFile expect(Expectations expect) {
      this.expect = expect;
      return this;
    }

    WrittenScenario build() {
      return new WrittenScenario(name, description,
          new Setting(at, zone, measurementPeriod, packs),
          new GivenPatient(record, fhir, draftOrders), expect);
    }
  }

  /**
   * When and with what the scenario is evaluated: {@code at}, {@code zone},
   * {@code measurementPeriod} and {@code packs} as written, each null when left out.
   */
  record Setting(Instant at, ZoneId zone, MeasurementPeriod measurementPeriod,
      List<String> packs) {}

  /**
   * The patient as written: {@code record} (the fact model) or {@code fhir} (a FHIR Bundle or
   * resource, inline or a file path), and the {@code draftOrders} being written, each null when
   * left out.
   */
  record GivenPatient(PatientRecord record, JsonNode fhir, List<String> draftOrders) {}

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
