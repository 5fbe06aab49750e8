package io.github.cdsengine.hooks.service;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.cdsengine.cli.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * DEVELOPMENT ONLY: prints a fresh CDS Hooks client token signed with the development key pair
 * in {@code cds-hooks-service/dev-keys/}, to try the service with curl.
 *
 * <p>That key pair is published with this project's sources, so anyone can sign tokens with it.
 * The development key must never be trusted in production: never pass {@code
 * dev-keys/dev-client.jwks.json} to {@code --trusted-issuer} on a server that sees real patient
 * data. The server logs a warning whenever an issuer is trusted with it.
 */
@Command(name = "dev-token", mixinStandardHelpOptions = true,
    description = "DEVELOPMENT ONLY: prints a client token (a JWT, ES384) for one request to "
        + "the CDS Hooks service, signed with the development key in "
        + "cds-hooks-service/dev-keys. Never trust that key in production.")
public final class DevToken implements Callable<Integer> {

  /** The issuer of development tokens, as the server must trust it. */
  public static final String DEV_ISSUER = "urn:cds-engine:dev-client";

  /** The RFC 7638 thumbprint of the bundled development key, to warn when it is trusted. */
  static final String DEV_KEY_THUMBPRINT = "WZkK-08FplnmIozIsrnJy1jUuxojZIq2hCOnkeer2go";

  @Option(names = "--audience", required = true, paramLabel = "URL",
      description = "The URL the request goes to, the token's aud: e.g. "
          + "http://127.0.0.1:8080/cds-services or .../cds-services/{id}.")
  String audience;

  @Option(names = "--issuer", defaultValue = DEV_ISSUER,
      description = "The token's iss (default: ${DEFAULT-VALUE}).")
  String issuer;

  @Option(names = "--key", paramLabel = "FILE",
      defaultValue = "cds-hooks-service/dev-keys/dev-client.private.jwk.json",
      description = "The private JWK to sign with, EC P-384 or RSA (default: ${DEFAULT-VALUE}, "
          + "relative to the repository's root).")
  Path key;

  @Option(names = "--lifetime", defaultValue = "300", paramLabel = "SECONDS",
      description = "Seconds until the token expires, at most 300 (default: ${DEFAULT-VALUE}).")
  long lifetimeSeconds;

  /**
   * Prints a token on standard output, a development-only warning on standard error.
   *
   * @param args the command line; {@code --help} lists the options
   */
  public static void main(String[] args) {
    CommandLine line = new CommandLine(new DevToken());
    line.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof UsageException || e instanceof IllegalArgumentException) {
        cmd.getErr().println("dev-token: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    int code = line.execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws IOException {
    if (lifetimeSeconds <= 0 || lifetimeSeconds > JwtClientAuthenticator.MAX_LIFETIME_SECONDS) {
      throw new UsageException("--lifetime must be between 1 and "
          + JwtClientAuthenticator.MAX_LIFETIME_SECONDS + " seconds, not " + lifetimeSeconds);
    }
    JWK signingKey = readPrivateKey(key);
    String token = token(signingKey, issuer, audience, Clock.systemUTC().instant(),
        Duration.ofSeconds(lifetimeSeconds));
    System.err.println("DEVELOPMENT ONLY: a token signed with " + key + "; never trust its "
        + "public key in production.");
    System.out.println(token);
    return 0;
  }

  /** The private JWK in {@code file}. */
  static JWK readPrivateKey(Path file) throws IOException {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UsageException("no key file " + file + ": run from the repository's root or "
          + "pass --key");
    }
    JWK jwk;
    try {
      jwk = JWK.parse(json);
    } catch (ParseException e) {
      throw new UsageException(file + ": not a JWK: " + e.getMessage());
    }
    if (!jwk.isPrivate() || !(jwk instanceof ECKey || jwk instanceof RSAKey)) {
      throw new UsageException(file + ": not a private EC or RSA JWK");
    }
    return jwk;
  }

  /**
   * A token as a CDS client sends it: ES384 for an EC key, RS384 for an RSA key, with the key's
   * {@code kid}, {@code typ: JWT}, {@code iss} and {@code sub} the issuer, a random {@code jti}.
   *
   * @param signingKey the private JWK (EC P-384 or RSA)
   * @param issuer the {@code iss}
   * @param audience the {@code aud}: the URL the request goes to
   * @param now the {@code iat}
   * @param lifetime from {@code iat} to {@code exp}
   * @return the token in compact form
   */
  static String token(JWK signingKey, String issuer, String audience, Instant now,
      Duration lifetime) {
    Objects.requireNonNull(audience, "audience");
    try {
      JWSAlgorithm alg;
      JWSSigner signer;
      if (signingKey instanceof RSAKey rsa) {
        alg = JWSAlgorithm.RS384;
        signer = new RSASSASigner(rsa);
      } else {
        alg = JWSAlgorithm.ES384;
        signer = new ECDSASigner((ECKey) signingKey);
      }
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(JOSEObjectType.JWT)
          .keyID(signingKey.getKeyID()).build(),
          new JWTClaimsSet.Builder().issuer(issuer).subject(issuer).audience(audience)
              .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime)))
              .jwtID(UUID.randomUUID().toString()).build());
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalArgumentException("cannot sign with key " + signingKey.getKeyID() + ": "
          + e.getMessage(), e);
    }
  }
}
