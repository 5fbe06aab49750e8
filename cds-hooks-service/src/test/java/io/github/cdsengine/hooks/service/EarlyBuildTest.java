package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.problem.RuleSetException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The catalog built beside the rest of the start: the build runs on its own daemon thread from
 * the moment it is started, and waiting for it gives the catalog or the build's own exception.
 */
class EarlyBuildTest {

  @Test
  void theBuildRunsOnItsOwnDaemonThreadWhileTheCallerGoesOn() throws Exception {
    CountDownLatch building = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Thread> builder = new AtomicReference<>();
    ServiceCatalog catalog = ServiceCatalog.build(List.of(), p -> null, null, ServiceMain::cards);
    EarlyBuild early = EarlyBuild.start(() -> {
      builder.set(Thread.currentThread());
      building.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return catalog;
    });
    // start returned while the build still waits: the caller's own set-up goes on beside it.
    assertThat(building.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(builder.get()).isNotSameAs(Thread.currentThread());
    assertThat(builder.get().isDaemon()).isTrue();
    assertThat(builder.get().getName()).isEqualTo(EarlyBuild.THREAD_NAME);
    release.countDown();
    assertThat(early.await()).isSameAs(catalog);
    catalog.close();
  }

  @Test
  void waitingGivesTheVeryExceptionTheBuildThrew() {
    RuleSetException failure = new RuleSetException(
        List.of(new RuleProblem("broken.drl", 3, "no end")));
    EarlyBuild early = EarlyBuild.start(() -> {
      throw failure;
    });
    assertThatThrownBy(early::await).isSameAs(failure);
    assertThatThrownBy(early::await).isSameAs(failure);
  }

  @Test
  void anErrorOfTheBuildIsThrownAsItself() {
    StackOverflowError error = new StackOverflowError("deep");
    EarlyBuild early = EarlyBuild.start(() -> {
      throw error;
    });
    assertThatThrownBy(early::await).isSameAs(error);
  }

  @Test
  void aBuildThatGivesNoCatalogFails() {
    EarlyBuild early = EarlyBuild.start(() -> null);
    assertThatThrownBy(early::await).isInstanceOf(NullPointerException.class)
        .hasMessage("the build gave no catalog");
  }
}
