package io.github.cdsengine.cli;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.pack.TrustedKeys;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which rule packs a command accepts: with {@code --require-signed}, only packs signed by a
 * trusted key ({@code --trust}, {@code --trust-shipped}), and no loose rule files unless
 * allowed.
 */
final class SigningOptions {

  @Option(names = "--require-signed",
      description = "Load only rule packs signed (pack.sig) by a trusted key, unchanged since; "
          + "refuse DRL files outside packs unless --allow-unsigned-rule-files.")
  boolean requireSigned;

  @Option(names = "--trust", paramLabel = "JWKS",
      description = "JWK set of public keys whose pack signatures are accepted (repeatable); "
          + "with --require-signed. Without it, the shipped packs' build key is trusted.")
  List<Path> trust = new ArrayList<>();

  @Option(names = "--trust-shipped",
      description = "Trust the shipped packs' build key as well as the --trust keys.")
  boolean trustShipped;

  @Option(names = "--allow-unsigned-rule-files",
      description = "With --require-signed, load DRL files outside packs too.")
  boolean allowUnsignedRuleFiles;

  /**
   * Requires signed packs on {@code builder} when asked.
   *
   * @throws UsageException if a trust option is given without {@code --require-signed}, or a
   *     trust file cannot be read as a JWK set
   */
  void apply(CdsEngine.Builder builder) {
    if (!requireSigned) {
      if (!trust.isEmpty() || trustShipped || allowUnsignedRuleFiles) {
        throw new UsageException("--trust, --trust-shipped and --allow-unsigned-rule-files "
            + "apply only with --require-signed");
      }
      return;
    }
    builder.requireSignedPacks(trustedKeys(trust, trustShipped || trust.isEmpty(), "--trust"));
    if (allowUnsignedRuleFiles) {
      builder.allowUnsignedRuleFiles();
    }
  }

  /**
   * The keys in {@code files}, with the shipped packs' build key if {@code shipped}.
   *
   * @throws UsageException naming a file that does not exist or is not a JWK set of public
   *     P-256 keys
   */
  static TrustedKeys trustedKeys(List<Path> files, boolean shipped, String option) {
    TrustedKeys keys = shipped ? shippedKeys() : null;
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new UsageException(option + ": no such file: " + file);
      }
      TrustedKeys read;
      try {
        read = TrustedKeys.read(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (IllegalArgumentException e) {
        throw new UsageException(option + ": " + e.getMessage());
      }
      keys = keys == null ? read : keys.and(read);
    }
    if (keys == null) {
      throw new UsageException(option + " JWKS is required: the public keys to trust");
    }
    return keys;
  }

  private static TrustedKeys shippedKeys() {
    try {
      return ShippedRulePacks.trustedKeys();
    } catch (IllegalStateException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
