package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The catalog builds its packs' engines side by side: every pack's services are there, in the
 * packs' order, each answered by its own pack's engine; when one build fails, the engines already
 * built are closed and the failure is the build's own.
 */
class ServiceCatalogTest {

  @Test
  void everyPacksServicesAreServedByItsOwnEngineWhateverOrderTheBuildsEnd() {
    List<RulePack> packs = ShippedRulePacks.all();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<CdsEngine> engines = Collections.synchronizedList(new ArrayList<>());
    ServiceCatalog catalog = ServiceCatalog.build(packs, pack -> {
      threads.add(Thread.currentThread().getName());
      CdsEngine engine = ServerConnectionTest.looseRules();
      engines.add(engine);
      return engine;
    }, null, ServiceMain::cards);
    try {
      List<String> expected = new ArrayList<>();
      for (RulePack pack : packs) {
        if (pack.services().isEmpty()) {
          expected.add(pack.id());
        } else {
          pack.services().forEach(s -> expected.add(s.id()));
        }
      }
      assertThat(catalog.discovery().services()).extracting(s -> s.id())
          .containsExactlyElementsOf(expected);
      assertThat(engines).hasSize(packs.size());
      if (Runtime.getRuntime().availableProcessors() > 1) {
        assertThat(threads).allMatch(name -> name.equals("cds-hooks-service-build-pack"));
      }
    } finally {
      catalog.close();
    }
  }

  @Test
  void aFailedBuildClosesTheEnginesAlreadyBuiltAndIsReportedAsItself() {
    List<RulePack> packs = ShippedRulePacks.all();
    List<CdsEngine> engines = Collections.synchronizedList(new ArrayList<>());
    String failing = packs.get(packs.size() / 2).id();
    assertThatThrownBy(() -> ServiceCatalog.build(packs, pack -> {
      if (pack.id().equals(failing)) {
        throw new IllegalArgumentException("cannot build " + pack.id());
      }
      CdsEngine engine = ServerConnectionTest.looseRules();
      engines.add(engine);
      return engine;
    }, null, ServiceMain::cards)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot build " + failing);
    assertThat(engines).hasSize(packs.size() - 1);
    EvaluationContext context = EvaluationContext.on(LocalDate.of(2026, 1, 1), ZoneOffset.UTC);
    for (CdsEngine engine : engines) {
      assertThatThrownBy(() -> engine.evaluate(PatientRecord.builder(new Patient("p", LocalDate.of(1970, 1, 1), null)).build(), context))
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
