package io.github.cdsengine.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.EvidenceGrade;
import io.github.cdsengine.core.evaluation.Guideline;
import io.github.cdsengine.core.evaluation.MatchedFact;
import io.github.cdsengine.core.evaluation.MeasureResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import io.github.cdsengine.core.rule.Population;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Objects;

/**
 * Writes an {@link EvaluationResult} as JSON in a fixed form: properties in the order of the
 * records' components, lists in the result's own order (already deterministic: see {@link
 * io.github.cdsengine.core.CdsEngine}), enums by their codes, no whitespace. The same result
 * gives the same bytes in every run, on any number of threads.
 *
 * <p>{@link #standard()} leaves out {@code elapsed}, the one field that differs from run to
 * run, so that two runs over the same input at the same instant can be compared byte for byte;
 * {@link #withElapsed()} includes it (as an ISO-8601 duration, last). Thread-safe.
 *
 * <pre>{@code
 * String json = ResultJson.standard().write(engine.evaluate(record, context));
 * }</pre>
 */
public final class ResultJson {

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ResultJson STANDARD = new ResultJson(false);
  private static final ResultJson WITH_ELAPSED = new ResultJson(true);

  private final boolean elapsed;

  private ResultJson(boolean elapsed) {
    this.elapsed = elapsed;
  }

  /**
   * The writer that leaves out the elapsed time: the same input gives the same bytes.
   *
   * @return the shared writer without {@code elapsed}
   */
  public static ResultJson standard() {
    return STANDARD;
  }

  /**
   * The writer that includes the elapsed time, which differs from run to run.
   *
   * @return the shared writer with {@code elapsed} as an ISO-8601 duration, last
   */
  public static ResultJson withElapsed() {
    return WITH_ELAPSED;
  }

  /**
   * The result as one line of JSON.
   *
   * @param result the result to write
   * @return the JSON text, without a trailing line break
   * @throws NullPointerException if {@code result} is null
   */
  public String write(EvaluationResult result) {
    StringWriter out = new StringWriter();
    write(result, out);
    return out.toString();
  }

  /**
   * Writes the result as one line of JSON to {@code out}, which is flushed, not closed.
   *
   * @param result the result to write
   * @param out where the JSON is written; left open
   * @throws NullPointerException if an argument is null
   * @throws UncheckedIOException if {@code out} fails
   */
  public void write(EvaluationResult result, Writer out) {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(out, "out");
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      writeResult(json, result);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeResult(JsonGenerator json, EvaluationResult result) throws IOException {
    json.writeStartObject();
    json.writeStringField("patientId", result.patientId());
    json.writeStringField("instant", result.instant().toString());
    json.writeStringField("ruleSet", result.ruleSet());
    json.writeBooleanField("complete", result.complete());
    json.writeArrayFieldStart("recommendations");
    for (Recommendation recommendation : result.recommendations()) {
      writeRecommendation(json, recommendation);
    }
    json.writeEndArray();
    json.writeArrayFieldStart("withheld");
    for (WithheldRecommendation withheld : result.withheld()) {
      json.writeStartObject();
      json.writeFieldName("recommendation");
      writeRecommendation(json, withheld.recommendation());
      json.writeStringField("disposition", withheld.disposition().name());
      json.writeArrayFieldStart("reasons");
      for (WithheldRecommendation.Reason reason : withheld.reasons()) {
        json.writeStartObject();
        json.writeStringField("disposition", reason.disposition().name());
        json.writeStringField("rule", reason.rule());
        json.writeStringField("text", reason.text());
        writeFacts(json, "rationale", reason.rationale());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("measures");
    for (MeasureResult measure : result.measures()) {
      json.writeStartObject();
      json.writeStringField("measure", measure.measure());
      json.writeNumberField("group", measure.group());
      json.writeStringField("improvement", measure.improvement().name());
      json.writeArrayFieldStart("populations");
      for (Population population : measure.populations()) {
        json.writeString(population.name());
      }
      json.writeEndArray();
      if (!measure.episodes().isEmpty()) {
        json.writeObjectFieldStart("episodes");
        for (Population population : measure.populations()) {
          json.writeNumberField(population.name(), measure.count(population));
        }
        json.writeEndObject();
      }
      json.writeBooleanField("careGap", measure.careGap());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("warnings");
    for (DataWarning warning : result.warnings()) {
      json.writeStartObject();
      json.writeStringField("type", warning.type());
      json.writeStringField("id", warning.id());
      json.writeStringField("message", warning.message());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("failures");
    for (RuleFailure failure : result.failures()) {
      json.writeStartObject();
      json.writeStringField("rule", failure.rule());
      json.writeStringField("error", failure.error());
      json.writeEndObject();
    }
    json.writeEndArray();
    if (elapsed) {
      json.writeStringField("elapsed", result.elapsed().toString());
    }
    json.writeEndObject();
  }

  private static void writeRecommendation(JsonGenerator json, Recommendation recommendation)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("id", recommendation.id());
    json.writeStringField("title", recommendation.title());
    json.writeStringField("detail", recommendation.detail());
    json.writeStringField("severity", recommendation.severity().code());
    json.writeStringField("category", recommendation.category().code());
    EvidenceGrade grade = recommendation.evidenceGrade();
    json.writeObjectFieldStart("evidenceGrade");
    json.writeStringField("scale", grade.scale());
    json.writeStringField("grade", grade.grade());
    json.writeStringField("strength", grade.strength().name());
    json.writeEndObject();
    Guideline guideline = recommendation.guideline();
    json.writeObjectFieldStart("guideline");
    json.writeStringField("publisher", guideline.publisher());
    json.writeStringField("title", guideline.title());
    json.writeStringField("version", guideline.version());
    json.writeStringField("url", guideline.url());
    json.writeEndObject();
    writeStrings(json, "rules", recommendation.rules());
    writeFacts(json, "rationale", recommendation.rationale());
    writeStrings(json, "valueSets", recommendation.valueSets());
    json.writeStringField("note", recommendation.note());
    json.writeStringField("rankReason", recommendation.rankReason());
    json.writeEndObject();
  }

  private static void writeFacts(JsonGenerator json, String name, List<MatchedFact> facts)
      throws IOException {
    json.writeArrayFieldStart(name);
    for (MatchedFact fact : facts) {
      json.writeStartObject();
      json.writeStringField("type", fact.type());
      json.writeStringField("id", fact.id());
      json.writeStringField("summary", fact.summary());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  private static void writeStrings(JsonGenerator json, String name, List<String> values)
      throws IOException {
    json.writeArrayFieldStart(name);
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }
}
