package io.github.cdsengine.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.fhir.BulkExport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkLayoutTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static JsonNode patientWithConditions(String id, int conditions) throws IOException {
    StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"entry\":["
        + "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"}}");
    for (int i = 0; i < conditions; i++) {
      bundle.append(",{\"resource\":{\"resourceType\":\"Condition\",\"id\":\"c").append(i)
          .append("\",\"subject\":{\"reference\":\"Patient/").append(id).append("\"}}}");
    }
    return JSON.readTree(bundle.append("]}").toString());
  }

  @Test
  void writesEachTypeInPartsOfAtMostTheLinesGivenAndListsThemInTheManifest()
      throws IOException {
    Path export = dir.resolve("export");
    try (BulkLayout layout = new BulkLayout(export, true, 3)) {
      layout.add(List.of(patientWithConditions("a", 4)), "x-", false);
      layout.add(List.of(patientWithConditions("b", 3)), "y-", false);
    }
    BulkExport read = BulkExport.open(export);
    List<String> names = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    for (BulkExport.DataFile file : read.files()) {
      names.add(file.name() + ":" + file.type());
      try (InputStream in = file.open()) {
        lines.add(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count());
      }
    }
    // 7 conditions in parts of 3 (3, 3, 1); 2 patients fit one part; the manifest in that order.
    assertThat(names).containsExactly("Condition.1.ndjson.gz:Condition",
        "Condition.2.ndjson.gz:Condition", "Condition.3.ndjson.gz:Condition",
        "Patient.1.ndjson.gz:Patient");
    assertThat(lines).containsExactly(3L, 3L, 1L, 2L);
    JsonNode manifest = JSON.readTree(export.resolve("manifest.json").toFile());
    assertThat(manifest.path("output").findValuesAsText("count"))
        .containsExactly("3", "3", "1", "2");
    assertThat(read.unread()).isEmpty();
  }

  @Test
  void partsOrderByNumberNotByNameOnceTheyPassNine() throws IOException {
    Path export = dir.resolve("export");
    try (BulkLayout layout = new BulkLayout(export, false, 1)) {
      layout.add(List.of(patientWithConditions("a", 11)), "", false);
    }
    JsonNode manifest = JSON.readTree(export.resolve("manifest.json").toFile());
    List<String> urls = manifest.path("output").findValuesAsText("url");
    assertThat(urls.subList(8, 12)).containsExactly("Condition.9.ndjson",
        "Condition.10.ndjson", "Condition.11.ndjson", "Patient.1.ndjson");
  }

  @Test
  void withoutAMostLinesPerFileEachTypeIsOneFileWithoutAPart() throws IOException {
    Path export = dir.resolve("export");
    try (BulkLayout layout = new BulkLayout(export, false)) {
      layout.add(List.of(patientWithConditions("a", 5)), "", false);
    }
    assertThat(BulkExport.open(export).files()).extracting(BulkExport.DataFile::name)
        .containsExactly("Condition.ndjson", "Patient.ndjson");
  }

  @Test
  void refusesANegativeMostLinesPerFile() {
    assertThatThrownBy(() -> new BulkLayout(dir, false, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
  }
}
