package io.github.cdsengine.core;

import static io.github.cdsengine.core.EngineFailureTest.JAN_2025;
import static io.github.cdsengine.core.EngineFailureTest.adult;
import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.pack.RuleFile;

/** Swapping the rule set under load: every result wholly from one engine, and says which. */
class SwappableEngineTest {

  /** Two rule sets that recommend different things: "alpha" (and "shared") or "beta". */
  static RuleFile version(String id) {
    return file(id + ".drl",
        recommending("Recommends " + id, id, "USPSTF:A", "screening", "info",
            "    PatientAge(years >= 18)", id),
        recommending("Also " + id, "also-" + id, "USPSTF:B", "screening", "info",
            "    Patient()", "also " + id));
  }

  static CdsEngine engine(String id) {
    return CdsEngine.builder().addRules(version(id)).ruleSetName(id + "@1").build();
  }

  @Test
  void everyResultComesWhollyFromTheEngineItNames() throws Exception {
    List<CdsEngine> built = new ArrayList<>();
    built.add(engine("alpha"));
    SwappableEngine holder = SwappableEngine.of(built.get(0));
    ExecutorService threads = Executors.newFixedThreadPool(4);
    AtomicBoolean running = new AtomicBoolean(true);
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    try {
      List<Future<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        workers.add(threads.submit(() -> {
          int count = 0;
          while (running.get()) {
            EvaluationResult result = holder.evaluate(adult(), JAN_2025);
            String id = result.ruleSet().substring(0, result.ruleSet().indexOf('@'));
            assertThat(result.recommendations()).extracting(Recommendation::id)
                .containsExactlyInAnyOrder(id, "also-" + id);
            assertThat(result.complete()).isTrue();
            seen.computeIfAbsent(result.ruleSet(), k -> new AtomicInteger()).incrementAndGet();
            count++;
          }
          return count;
        }));
      }
      for (int swap = 0; swap < 6; swap++) {
        Thread.sleep(150);
        CdsEngine next = engine(swap % 2 == 0 ? "beta" : "alpha");
        built.add(next);
        holder.swap(next);
        assertThat(holder.ruleSet()).isEqualTo(next.ruleSet());
      }
      Thread.sleep(150);
      running.set(false);
      int total = 0;
      for (Future<Integer> worker : workers) {
        total += worker.get(30, TimeUnit.SECONDS); // rethrows any assertion a worker failed
      }
      assertThat(total).isGreaterThan(0);
      assertThat(seen).containsOnlyKeys("alpha@1", "beta@1");
    } finally {
      running.set(false);
      threads.shutdownNow();
      holder.close();
    }
    // Every engine swapped out was closed, and closing the holder closed the last one.
    for (CdsEngine engine : built) {
      assertThatThrownBy(() -> engine.evaluate(adult(), JAN_2025))
          .isInstanceOf(IllegalStateException.class);
    }
    assertThatThrownBy(() -> holder.evaluate(adult(), JAN_2025))
        .isInstanceOf(IllegalStateException.class);
    CdsEngine late = engine("beta");
    try {
      assertThatThrownBy(() -> holder.swap(late)).isInstanceOf(IllegalStateException.class);
    } finally {
      late.close();
    }
  }

  @Test
  void theRuleSetIsNamedByPacksOrADigestOfTheRules() {
    try (CdsEngine alpha = CdsEngine.builder().addRules(version("alpha")).build();
        CdsEngine alphaAgain = CdsEngine.builder().addRules(version("alpha")).build();
        CdsEngine beta = CdsEngine.builder().addRules(version("beta")).build()) {
      assertThat(alpha.ruleSet()).matches("rules#[0-9a-f]{12}");
      assertThat(alphaAgain.ruleSet()).isEqualTo(alpha.ruleSet());
      assertThat(beta.ruleSet()).isNotEqualTo(alpha.ruleSet());
      assertThat(alpha.evaluate(adult(), JAN_2025).ruleSet()).isEqualTo(alpha.ruleSet());
    }
    assertThatThrownBy(() -> CdsEngine.builder().ruleSetName(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aHolderTakesNoHolderAndNoSelfSwap() {
    try (SwappableEngine holder = SwappableEngine.of(engine("alpha"))) {
      assertThatThrownBy(() -> SwappableEngine.of(holder))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> holder.swap(null)).isInstanceOf(NullPointerException.class);
      assertThat(holder.evaluate(adult(), JAN_2025).ruleSet()).isEqualTo("alpha@1");
    }
  }
}
