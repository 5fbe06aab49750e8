package io.github.cdsengine.core.isolated;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.evaluation.RuleInfo;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.terminology.ValueSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The messages between host and worker, and the one JSON mapping both sides use for them.
 *
 * <p>Every message is read into the record type the protocol expects at that point, and every
 * field of it has a declared type: the mapper has no default typing and the messages carry no
 * class names, so a worker that runs hostile code can send the host nothing but these records
 * (or a message the host refuses). Java serialization is never used. Records are written from
 * their components only (getters such as {@code isActive()} are ignored) and read back through
 * their canonical constructors, which check them as they check any other input.
 */
final class Wire {

  /** The mapping, shared: ObjectMapper is thread-safe once configured. */
  static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .addModule(packFilesStayHome())
      .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
      .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
      .disable(MapperFeature.AUTO_DETECT_GETTERS, MapperFeature.AUTO_DETECT_IS_GETTERS)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  private Wire() {}

  /**
   * A pack's files (digests and signature) do not travel to a worker: the host checks a pack's
   * signature before any worker starts, and the worker gets the pack's content with {@link
   * io.github.cdsengine.core.pack.PackFiles#none()}.
   */
  private static com.fasterxml.jackson.databind.Module packFilesStayHome() {
    com.fasterxml.jackson.databind.module.SimpleModule module =
        new com.fasterxml.jackson.databind.module.SimpleModule("pack-files-stay-home");
    module.addSerializer(io.github.cdsengine.core.pack.PackFiles.class,
        new com.fasterxml.jackson.databind.JsonSerializer<>() {
          @Override
          public void serialize(io.github.cdsengine.core.pack.PackFiles files,
              com.fasterxml.jackson.core.JsonGenerator out,
              com.fasterxml.jackson.databind.SerializerProvider provider)
              throws java.io.IOException {
            out.writeNull();
          }
        });
    module.addDeserializer(io.github.cdsengine.core.pack.PackFiles.class,
        new com.fasterxml.jackson.databind.JsonDeserializer<>() {
          @Override
          public io.github.cdsengine.core.pack.PackFiles deserialize(
              com.fasterxml.jackson.core.JsonParser in,
              com.fasterxml.jackson.databind.DeserializationContext context)
              throws java.io.IOException {
            in.skipChildren();
            return io.github.cdsengine.core.pack.PackFiles.none();
          }

          @Override
          public io.github.cdsengine.core.pack.PackFiles getNullValue(
              com.fasterxml.jackson.databind.DeserializationContext context) {
            return io.github.cdsengine.core.pack.PackFiles.none();
          }
        });
    return module;
  }

  /**
   * One call the host made on its builder, replayed by the worker on a {@link
   * io.github.cdsengine.core.CdsEngine.Builder} in the same order: {@code method} names the
   * builder method, {@code arguments} holds its plain arguments as text, and at most one of the
   * other fields its typed argument.
   */
  record BuilderCall(String method, List<String> arguments, RulePack pack, RuleFile file,
      ValueSet valueSet, MeasureDefinition measure) {
    BuilderCall {
      arguments = List.copyOf(arguments);
    }

    static BuilderCall of(String method, String... arguments) {
      return new BuilderCall(method, List.of(arguments), null, null, null, null);
    }
  }

  /**
   * The first message to a worker: how to build its engine.
   *
   * @param calls the host's builder calls, in order
   * @param rulePolicy false only when the host turned the rule policy off
   */
  record Setup(List<BuilderCall> calls, boolean rulePolicy) {
    Setup {
      calls = List.copyOf(calls);
    }
  }

  /**
   * What the worker's engine holds, as {@link io.github.cdsengine.core.CdsEngine} describes it.
   *
   * @param valueSetNames the names rules use for value sets, each with the id of its value set
   */
  record Description(List<RuleInfo> rules, List<String> packs, String ruleSet,
      List<MeasureDefinition> measures, List<ValueSet> valueSets,
      Map<String, String> valueSetNames) {}

  /**
   * The worker's first answer: its engine's description, or why it could not build one (the
   * rule set's problems, or the simple class name and message of a configuration error).
   */
  record Started(Description description, List<RuleProblem> problems, String errorClass,
      String error) {}

  /** One evaluation asked of the worker. */
  record Request(PatientRecord record, EvaluationContext context) {}

  /**
   * The worker's answer to a request: the result, or the class of the exception its engine threw
   * (never the message, which may quote patient data).
   */
  record Reply(EvaluationResult result, String exception) {}

  static byte[] write(Object message) {
    try {
      return JSON.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> T read(byte[] frame, Class<T> type) throws IOException {
    return JSON.readValue(frame, type);
  }
}
