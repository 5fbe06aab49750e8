package io.github.cdsengine.hooks.service;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The services' catalog, built on a daemon thread of its own from the moment the command line is
 * read, so that opening the feedback store and starting the HTTP server happen beside it instead
 * of before it. {@link #await()} hands the server what the build gave: the catalog, or the very
 * exception the build threw (a {@code RuleSetException} keeps its problems).
 */
final class EarlyBuild {

  static final String THREAD_NAME = "cds-hooks-service-early-build";

  private final CompletableFuture<ServiceCatalog> result = new CompletableFuture<>();

  private EarlyBuild() {}

  /**
   * Starts building.
   *
   * @param build builds the catalog; called once, on the new thread
   * @return the build under way
   */
  static EarlyBuild start(Supplier<ServiceCatalog> build) {
    Objects.requireNonNull(build, "build");
    EarlyBuild early = new EarlyBuild();
    Thread thread = new Thread(() -> {
      try {
        early.result.complete(Objects.requireNonNull(build.get(), "the build gave no catalog"));
      } catch (RuntimeException | Error e) {
        early.result.completeExceptionally(e);
      }
    }, THREAD_NAME);
    // The process may end before the build does (a usage error found after it started).
    thread.setDaemon(true);
    thread.start();
    return early;
  }

  /**
   * Waits for the build.
   *
   * @return the catalog
   * @throws RuntimeException the exception the build threw, itself
   * @throws Error the error the build threw, itself
   */
  ServiceCatalog await() {
    try {
      return result.join();
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
