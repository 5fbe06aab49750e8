package io.github.cdsengine.rules.cdc.opioids2016;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.fhir.FhirReader;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.testing.Conformance;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every MME test case of cqframework/opioid-mme-r4 (conformance/opioid-mme/tests), read in
 * place: the total MME of the case's orders equals the TotalMME its GuidanceResponse expects.
 */
class MmeConformanceTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyCaseGivesTheExpectedTotalMme() throws IOException {
    Path tests = Conformance.directory("opioid-mme").resolve("tests");
    List<Path> cases;
    try (Stream<Path> list = Files.list(tests)) {
      cases = list.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(cases).isNotEmpty();
    StringBuilder table = new StringBuilder(String.format("%-34s %10s %10s%n", "case",
        "expected", "computed"));
    int passed = 0;
    for (Path dir : cases) {
      List<Path> files;
      try (Stream<Path> list = Files.list(dir)) {
        files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
      }
      BigDecimal expected = expectedTotal(files);
      List<MedicationRequest> orders = FhirReader.create().read(files).onlyPatient()
          .medicationRequests();
      TotalMme total = MmeCalculator.total(orders);
      table.append(String.format("%-34s %10s %10s%n", dir.getFileName(),
          expected.toPlainString(), total.mme().toPlainString()));
      for (OrderMme order : total.orders()) {
        if (order instanceof OrderMme.Computed computed) {
          computed.ingredients().forEach(i -> table.append("    ").append(i.steps())
              .append('\n'));
        } else {
          table.append("    ").append(((OrderMme.NotComputed) order).message()).append('\n');
        }
      }
      assertThat(total.complete()).as("%s: every order computed", dir.getFileName()).isTrue();
      assertThat(total.mme()).as("%s: TotalMME", dir.getFileName())
          .isEqualByComparingTo(expected);
      passed++;
    }
    table.append(passed).append(" of ").append(cases.size()).append(" cases pass\n");
    System.out.print(table);
  }

  /** The TotalMME value of the case's GuidanceResponse (its contained output Parameters). */
  private static BigDecimal expectedTotal(List<Path> files) throws IOException {
    for (Path file : files) {
      JsonNode resource = JSON.readTree(file.toFile());
      if (!"GuidanceResponse".equals(resource.path("resourceType").asText())) {
        continue;
      }
      for (JsonNode contained : resource.path("contained")) {
        for (JsonNode parameter : contained.path("parameter")) {
          if ("TotalMME".equals(parameter.path("name").asText())) {
            assertThat(parameter.path("valueQuantity").path("code").asText())
                .isEqualTo(TotalMme.UNIT);
            return parameter.path("valueQuantity").path("value").decimalValue();
          }
        }
      }
    }
    throw new AssertionError("no GuidanceResponse with a TotalMME among " + files);
  }
}
