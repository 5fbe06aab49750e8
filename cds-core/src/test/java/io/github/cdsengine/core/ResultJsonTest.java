package io.github.cdsengine.core;

import static io.github.cdsengine.core.EngineFailureTest.GOOD;
import static io.github.cdsengine.core.EngineFailureTest.JAN_2025;
import static io.github.cdsengine.core.EngineFailureTest.adult;
import static io.github.cdsengine.core.testing.TestRules.file;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.json.ResultJson;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import io.github.cdsengine.core.evaluation.EvaluationResult;

/** Results as JSON: a fixed property order, elapsed time only when asked for. */
class ResultJsonTest {

  @Test
  void propertiesComeInAFixedOrderWithoutTheElapsedTime() {
    try (CdsEngine engine = CdsEngine.builder().addRules(file("plain.drl", GOOD))
        .ruleSetName("test@1").build()) {
      EvaluationResult result = engine.evaluate(adult(), JAN_2025);
      String json = ResultJson.standard().write(result);
      assertThat(json).startsWith("{\"patientId\":\"p1\",\"instant\":\"2025-01-01T00:00:00Z\","
          + "\"ruleSet\":\"test@1\",\"complete\":true,\"recommendations\":[{\"id\":\"good\","
          + "\"title\":\"Title of good\",\"detail\":\"fine\",\"severity\":\"info\","
          + "\"category\":\"screening\",\"evidenceGrade\":{\"scale\":\"USPSTF\",\"grade\":\"A\",");
      assertThat(json).endsWith("\"withheld\":[],\"measures\":[],\"warnings\":[],\"failures\":[]}")
          .doesNotContain("elapsed").doesNotContain("\n");

      EvaluationResult slower = new EvaluationResult(result.patientId(), result.instant(),
          result.recommendations(), result.withheld(), result.measures(), result.warnings(),
          result.failures(), result.elapsed().plus(Duration.ofSeconds(3)), result.ruleSet());
      assertThat(ResultJson.standard().write(slower)).isEqualTo(json);
      assertThat(ResultJson.withElapsed().write(slower))
          .isNotEqualTo(ResultJson.withElapsed().write(result))
          .endsWith(",\"elapsed\":\"" + slower.elapsed() + "\"}");
      StringWriter out = new StringWriter();
      ResultJson.standard().write(result, out);
      assertThat(out.toString()).isEqualTo(json);
    }
  }
}
