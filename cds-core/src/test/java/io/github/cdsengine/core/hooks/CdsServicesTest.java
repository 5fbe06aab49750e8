package io.github.cdsengine.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.evaluation.ServiceDefinition;
import io.github.cdsengine.core.pack.RulePack;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rule packs become the /cds-services discovery document. */
class CdsServicesTest {

  static final RulePack CRC = new RulePack("uspstf-colorectal-cancer-screening", "1.1.0",
      "USPSTF colorectal cancer screening (2021)", List.of(), List.of());
  static final RulePack OPIOID = new RulePack("opioid-cds-10", "1.0.0",
      "CDC opioids: urine drug testing", List.of(), List.of());

  static final String PREFETCH = "{\"patient\":\"Patient/{{context.patientId}}\","
      + "\"conditions\":\"Condition?patient={{context.patientId}}\","
      + "\"medicationRequests\":\"MedicationRequest?patient={{context.patientId}}\","
      + "\"observations\":\"Observation?patient={{context.patientId}}\","
      + "\"procedures\":\"Procedure?patient={{context.patientId}}\","
      + "\"immunizations\":\"Immunization?patient={{context.patientId}}\","
      + "\"encounters\":\"Encounter?patient={{context.patientId}}\","
      + "\"allergyIntolerances\":\"AllergyIntolerance?patient={{context.patientId}}\","
      + "\"serviceRequests\":\"ServiceRequest?patient={{context.patientId}}\","
      + "\"deviceRequests\":\"DeviceRequest?patient={{context.patientId}}\","
      + "\"carePlans\":\"CarePlan?patient={{context.patientId}}\","
      + "\"medicationDispenses\":\"MedicationDispense?patient={{context.patientId}}\"}";

  @Test
  void onePatientViewServicePerPackByDefault() {
    assertThat(CdsServices.fromPacks(List.of(CRC)).toJson()).isEqualTo(
        "{\"services\":[{\"hook\":\"patient-view\","
            + "\"title\":\"USPSTF colorectal cancer screening (2021)\","
            + "\"description\":\"USPSTF colorectal cancer screening (2021): rule pack "
            + "uspstf-colorectal-cancer-screening version 1.1.0.\","
            + "\"id\":\"uspstf-colorectal-cancer-screening\",\"prefetch\":" + PREFETCH + "}]}");
  }

  @Test
  void hookIsConfigurablePerPack() {
    CdsServices services = CdsServices.fromPacks(List.of(CRC, OPIOID),
        pack -> pack.id().startsWith("opioid") ? "order-sign" : CdsServices.DEFAULT_HOOK);
    assertThat(services.services()).extracting(CdsService::id, CdsService::hook)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("uspstf-colorectal-cancer-screening",
                "patient-view"),
            org.assertj.core.groups.Tuple.tuple("opioid-cds-10", "order-sign"));
  }

  @Test
  void emptyDocumentAndMinimalService() {
    assertThat(CdsServices.fromPacks(List.of()).toJson()).isEqualTo("{\"services\":[]}");
    assertThat(CdsHooksJson.write(new CdsService("order-sign", null, "d", "s-1",
        java.util.Map.of(), null)))
        .isEqualTo("{\"hook\":\"order-sign\",\"description\":\"d\",\"id\":\"s-1\"}");
  }

  @Test
  void refusesDuplicateAndUnusableIds() {
    assertThatThrownBy(() -> CdsServices.fromPacks(List.of(CRC, CRC)))
        .hasMessageContaining("'uspstf-colorectal-cancer-screening' appears twice");
    assertThatThrownBy(() -> new CdsService("patient-view", null, "d", "a/b",
        java.util.Map.of(), null)).hasMessageContaining("'a/b'");
  }

  @Test
  void aServicesOwnTemplatesReplaceTheStandardOneByKeyAndAddTheRest() {
    ServiceDefinition own = new ServiceDefinition("meds", "order-sign", "Meds", "Meds",
        List.of("recommendation-meds"), java.util.Map.of(
            "medicationRequests", "MedicationRequest?patient={{context.patientId}}"
                + "&_include=MedicationRequest:medication",
            "coverage", "Coverage?patient={{context.patientId}}"));
    RulePack pack = RulePack.builder("meds-pack", "1.0.0", "Meds pack")
        .services(List.of(own)).build();
    java.util.Map<String, String> prefetch =
        CdsServices.fromPacks(List.of(pack)).services().get(0).prefetch();
    assertThat(prefetch.get("medicationRequests")).endsWith("&_include=MedicationRequest:medication");
    assertThat(prefetch.get("coverage")).isEqualTo("Coverage?patient={{context.patientId}}");
    assertThat(prefetch.get("patient")).isEqualTo("Patient/{{context.patientId}}");
    assertThat(prefetch).hasSize(CdsServices.PREFETCH.size() + 1);
  }

  static ServiceDefinition service(String id, String hook) {
    return new ServiceDefinition(id, hook, "Title " + id, "Description " + id,
        List.of("recommendation-" + id));
  }

  @Test
  void aServiceIdDeclaredByTwoPacksIsRefusedNamingBoth() {
    RulePack first = RulePack.builder("opioids-a", "1.0.0", "A")
        .services(List.of(service("opioid-review", "order-sign"))).build();
    RulePack second = RulePack.builder("opioids-b", "2.0.0", "B")
        .services(List.of(service("other", "patient-view"),
            service("opioid-review", "patient-view"))).build();
    assertThatThrownBy(() -> CdsServices.fromPacks(List.of(first, second)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'opioid-review' appears twice")
        .hasMessageContaining("'opioids-a' (version 1.0.0)")
        .hasMessageContaining("'opioids-b' (version 2.0.0)");
    // A pack's default service (id the pack's id) collides with another pack's service too.
    RulePack named = RulePack.builder("opioid-review", "3.0.0", "C").build();
    assertThatThrownBy(() -> CdsServices.fromPacks(List.of(first, named)))
        .hasMessageContaining("'opioid-review' appears twice")
        .hasMessageContaining("'opioids-a'").hasMessageContaining("'opioid-review' (version 3.0.0)");
  }

  @Test
  void aServiceIdDeclaredTwiceByOnePackIsRefusedNamingIt() {
    RulePack pack = RulePack.builder("opioids-a", "1.0.0", "A")
        .services(List.of(service("opioid-review", "order-sign"),
            service("opioid-review", "order-select"))).build();
    assertThatThrownBy(() -> CdsServices.fromPacks(List.of(pack)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'opioid-review' appears twice")
        .hasMessageContaining("rule pack 'opioids-a' (version 1.0.0) declares it twice");
  }

  @Test
  void eachServiceAnswersOneHookAndIsFoundById() {
    RulePack pack = RulePack.builder("opioids-a", "1.0.0", "A")
        .services(List.of(service("opioid-sign", "order-sign"),
            service("opioid-select", "order-select"))).build();
    CdsServices services = CdsServices.fromPacks(List.of(pack, CRC));
    assertThat(services.service("opioid-select")).hasValueSatisfying(
        s -> assertThat(s.hook()).isEqualTo("order-select"));
    assertThat(services.service("uspstf-colorectal-cancer-screening")).hasValueSatisfying(
        s -> assertThat(s.hook()).isEqualTo(CdsServices.DEFAULT_HOOK));
    assertThat(services.service("nothing")).isEmpty();
    assertThat(services.services()).extracting(CdsService::id).doesNotHaveDuplicates()
        .hasSize(3);
  }
}
