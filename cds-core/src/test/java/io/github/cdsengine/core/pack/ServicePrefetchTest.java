package io.github.cdsengine.core.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.github.cdsengine.core.evaluation.ServiceDefinition;
import io.github.cdsengine.core.problem.InvalidDataException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pack's services declare the prefetch templates their rules need beyond the standard ones,
 * with only the prefetch tokens CDS Hooks 2.0 allows.
 */
class ServicePrefetchTest {

  private static ServiceDefinition service(Map<String, String> prefetch) {
    return new ServiceDefinition("svc", "order-sign", "A service", "What it offers",
        List.of("rec-1"), prefetch);
  }

  @Test
  void aServiceKeepsItsTemplatesInTheOrderGiven() {
    Map<String, String> templates = new java.util.LinkedHashMap<>();
    templates.put("medicationRequests", "MedicationRequest?patient={{context.patientId}}"
        + "&_include=MedicationRequest:medication");
    templates.put("encounter", "Encounter/{{context.encounterId}}");
    templates.put("user", "PractitionerRole?_id={{userPractitionerRoleId}}");
    templates.put("practitioner", "{{context.userId}}");

    assertThat(service(templates).prefetch()).containsExactlyEntriesOf(templates);
    assertThat(new ServiceDefinition("svc", "order-sign", "A service", "What it offers",
        List.of("rec-1")).prefetch()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Medication?_id={{context.draftOrders.MedicationRequest.medicationReference}}",
      "MedicationRequest?_id={{context.draftOrders.MedicationRequest.id}}",
      "Patient/{{patientId}}", "Patient/{{ context.patientId }}", "Patient/{{}}",
      "Observation?patient={{context.patientId}}&date=gt{{today}}"})
  void aTokenCdsHooksDoesNotAllowIsRefusedQuotingIt(String template) {
    assertThatIllegalArgumentException().isThrownBy(() -> service(Map.of("meds", template)))
        .withMessageContaining("'meds'").withMessageContaining("has the token '{{")
        .withMessageContaining("root-level context field");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Patient/{{context.patientId", "Patient/context.patientId}}",
      "Patient/{{context.patientId}}}}", "Condition?patient={{context.patientId}}&code={{"})
  void aTokenNotClosedOrNotOpenedIsRefused(String template) {
    assertThatIllegalArgumentException().isThrownBy(() -> service(Map.of("meds", template)))
        .withMessageContaining("not closed or not opened").withMessageContaining(template);
  }

  @Test
  void aBlankOrNullKeyOrTemplateIsRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> service(Map.of(" ", "Patient/1")));
    assertThatIllegalArgumentException().isThrownBy(() -> service(Map.of("p", "")));
    Map<String, String> nullTemplate = new HashMap<>();
    nullTemplate.put("p", null);
    assertThatNullPointerException().isThrownBy(() -> service(nullTemplate))
        .withMessageContaining("'p'");
    assertThatNullPointerException().isThrownBy(() -> service(null));
  }

  @Test
  void aManifestsServiceReadsItsPrefetch(@TempDir Path dir) throws IOException {
    RulePack pack = load(dir, """
        "prefetch": {"medicationRequests":
            "MedicationRequest?patient={{context.patientId}}&_include=MedicationRequest:medication",
          "patient": "Patient/{{context.patientId}}"}""");

    assertThat(pack.services()).singleElement().satisfies(s -> assertThat(s.prefetch())
        .containsExactly(Map.entry("medicationRequests", "MedicationRequest?patient="
                + "{{context.patientId}}&_include=MedicationRequest:medication"),
            Map.entry("patient", "Patient/{{context.patientId}}")));
  }

  @Test
  void aManifestsBadPrefetchIsRefusedNamingItsPath(@TempDir Path dir) throws IOException {
    assertThatExceptionOfType(InvalidDataException.class)
        .isThrownBy(() -> load(dir, "\"prefetch\": [\"Patient/{{context.patientId}}\"]"))
        .withMessageContaining("$.services[0].prefetch");
    assertThatExceptionOfType(InvalidDataException.class)
        .isThrownBy(() -> load(dir, "\"prefetch\": {\"patient\": 7}"))
        .withMessageContaining("$.services[0].prefetch['patient']");
    assertThatExceptionOfType(InvalidDataException.class)
        .isThrownBy(() -> load(dir, "\"prefetch\": {\"meds\": "
            + "\"Medication?_id={{context.draftOrders.MedicationRequest.medicationReference}}\"}"))
        .withMessageContaining("$.services[0]")
        .withMessageContaining("{{context.draftOrders.MedicationRequest.medicationReference}}");
  }

  /** A pack with one service holding {@code fields} besides its required ones. */
  private static RulePack load(Path dir, String fields) throws IOException {
    Files.writeString(dir.resolve("pack.json"), """
        {"id": "p", "version": "1", "title": "t", "services": [{"id": "svc",
         "hook": "order-sign", "title": "A service", "description": "What it offers",
         "recommendations": ["rec-1"], %s}]}""".formatted(fields));
    return RulePack.load("pack.json", new URLClassLoader(new URL[] {dir.toUri().toURL()}, null));
  }
}
