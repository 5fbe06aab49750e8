package io.github.cdsengine.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
