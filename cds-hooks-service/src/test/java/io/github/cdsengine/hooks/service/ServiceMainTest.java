package io.github.cdsengine.hooks.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import io.github.cdsengine.cli.UsageException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's client authentication: it refuses to start without trusted issuers unless
 * told to run in development mode, and the bundled development key's tokens are let in where
 * the development JWK Set is trusted.
 */
class ServiceMainTest {

  static final Path DEV_JWKS = Path.of("dev-keys/dev-client.jwks.json");
  static final Path DEV_PRIVATE_KEY = Path.of("dev-keys/dev-client.private.jwk.json");

  static String run(String... args) {
    StringWriter err = new StringWriter();
    int code = ServiceMain.commandLine().setErr(new PrintWriter(err, true)).execute(args);
    assertThat(code).as(err.toString()).isEqualTo(2);
    return err.toString();
  }

  @Test
  void withoutTrustedIssuersTheServiceDoesNotStart() {
    assertThat(run()).contains("no trusted client issuer is configured",
        "--trusted-issuer ISS=JWKS_URL_OR_FILE", "--allow-unauthenticated");
  }

  @Test
  void trustedIssuersNeedThePublicUrlTokensAreAddressedTo() {
    assertThat(run("--trusted-issuer", DevToken.DEV_ISSUER + "=" + DEV_JWKS))
        .contains("--public-url is required with --trusted-issuer");
  }

  @Test
  void developmentModeAndTrustedIssuersExcludeEachOther() {
    assertThat(run("--allow-unauthenticated", "--trusted-issuer",
        DevToken.DEV_ISSUER + "=" + DEV_JWKS)).contains("pass one or the other");
  }

  @Test
  void aTrustedIssuerIsIssEqualsUrlOrFile() {
    assertThat(run("--trusted-issuer", "https://ehr.example.org"))
        .contains("--trusted-issuer: expected ISS=JWKS_URL_OR_FILE");
    assertThat(run("--trusted-issuer", "https://ehr.example.org=http://ehr.example.org/jwks"))
        .contains("must be fetched over https");
    assertThat(run("--trusted-issuer", "https://ehr.example.org=no-such-file.json"))
        .contains("cannot read the JWK Set file no-such-file.json");
    assertThat(run("--trusted-issuer", DevToken.DEV_ISSUER + "=" + DEV_JWKS,
        "--clock-skew", "-5")).contains("the clock skew must be between 0 and 5 minutes");
  }

  @Test
  void urlsAndFilesAreTrustedAsGiven() {
    ClientAuthenticator authenticator = ServiceMain.authenticator(List.of(
        DevToken.DEV_ISSUER + "=" + DEV_JWKS,
        "https://ehr.example.org=https://ehr.example.org/.well-known/jwks.json?tenant=a=b"),
        Duration.ofSeconds(30), false);
    assertThat(((JwtClientAuthenticator) authenticator).issuers())
        .containsExactly(DevToken.DEV_ISSUER, "https://ehr.example.org");
    assertThat(ServiceMain.authenticator(List.of(), Duration.ZERO, true)
        .allowsUnauthenticated()).isTrue();
    assertThatThrownBy(() -> ServiceMain.authenticator(List.of(), Duration.ZERO, false))
        .isInstanceOf(UsageException.class);
  }

  @Test
  void aDevelopmentTokenIsLetInWhereTheDevelopmentKeyIsTrusted() throws Exception {
    ClientAuthenticator authenticator = ServiceMain.authenticator(
        List.of(DevToken.DEV_ISSUER + "=" + DEV_JWKS), Duration.ofSeconds(60), false);
    JWK key = DevToken.readPrivateKey(DEV_PRIVATE_KEY);
    String audience = "http://127.0.0.1:8080/cds-services";
    String token = DevToken.token(key, DevToken.DEV_ISSUER, audience, Instant.now(),
        Duration.ofMinutes(5));
    assertThat(authenticator.authenticate("Bearer " + token, audience))
        .isEqualTo(new ClientAuthenticator.Client(DevToken.DEV_ISSUER, DevToken.DEV_ISSUER));
    assertThat(key.toPublicJWK().computeThumbprint().toString())
        .isEqualTo(DevToken.DEV_KEY_THUMBPRINT);
  }

  @Test
  void helpNamesTheFeedbackStoreAndItsDefault() {
    StringWriter out = new StringWriter();
    ServiceMain.commandLine().setOut(new PrintWriter(out, true)).execute("--help");
    assertThat(out.toString()).contains("--feedback-store=JDBC_URL_OR_FILE",
        "./cds-feedback.mv.db", "--feedback-key=FILE");
  }

  @Test
  void theFeedbackKeyIsDrawnOnceReadableByItsOwnerOnlyAndThenRead(@TempDir Path folder)
      throws Exception {
    Path file = folder.resolve("cds-feedback.key");
    byte[] key = ServiceMain.feedbackKey(file);
    assertThat(key).hasSize(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(ServiceMain.feedbackKey(file)).isEqualTo(key);
    Path shortKey = Files.write(folder.resolve("short.key"), new byte[16]);
    assertThatThrownBy(() -> ServiceMain.feedbackKey(shortKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds 16 bytes; a key has at least 32");
  }

  @Test
  void exitWhenReadyBuildsEveryServiceThenStopsWithZero(@TempDir Path folder) {
    StringWriter err = new StringWriter();
    int code = ServiceMain.commandLine().setErr(new PrintWriter(err, true)).execute(
        "--allow-unauthenticated", "--port", "0", "--exit-when-ready",
        "--feedback-store", folder.resolve("feedback").toString(),
        "--feedback-key", folder.resolve("feedback.key").toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString()).contains("ready; stopped (--exit-when-ready)");
  }

  @Test
  void exitWhenReadyStopsWithOneWhenTheRulesDoNotBuild(@TempDir Path folder) throws Exception {
    Path rules = Files.createDirectories(folder.resolve("rules"));
    Files.writeString(rules.resolve("broken.drl"), "package local;\n\nrule \"no end\"\nwhen\n");
    StringWriter err = new StringWriter();
    int code = ServiceMain.commandLine().setErr(new PrintWriter(err, true)).execute(
        "--allow-unauthenticated", "--port", "0", "--exit-when-ready",
        "--rules", rules.toString(),
        "--feedback-store", folder.resolve("feedback").toString(),
        "--feedback-key", folder.resolve("feedback.key").toString());
    assertThat(code).as(err.toString()).isEqualTo(1);
    assertThat(err.toString()).contains("the services did not build",
        "not ready; stopped (--exit-when-ready)");
  }
}
