package io.github.cdsengine.core.pack;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.Objects;

/**
 * A private key that signs rule packs: an ECDSA P-256 key, kept as a JWK (RFC 7517), whose key
 * id is its RFC 7638 thumbprint. Signatures are in the form {@link RulePack} documents.
 *
 * <p>Keep the private JWK secret: whoever holds it can sign packs that hosts trusting its
 * public key ({@link #trustedKeys()}) will load.
 */
public final class PackSigningKey {

  private final ECKey key;

  private PackSigningKey(ECKey key) {
    this.key = key;
  }

  /**
   * A new P-256 key pair from the JDK's secure random source.
   *
   * @return the key
   */
  public static PackSigningKey generate() {
    try {
      return new PackSigningKey(withThumbprintId(new ECKeyGenerator(Curve.P_256).generate()));
    } catch (JOSEException e) {
      throw new IllegalStateException("the JDK cannot generate a P-256 key: " + e.getMessage(),
          e);
    }
  }

  /**
   * The key in a private JWK: {@code {"kty": "EC", "crv": "P-256", "x": ..., "y": ..., "d":
   * ...}}. A {@code kid}, if present, must be the key's thumbprint.
   *
   * @param json the private JWK as JSON
   * @return the key
   * @throws NullPointerException if {@code json} is null
   * @throws IllegalArgumentException if it is not an EC P-256 private JWK, or its {@code kid}
   *     is not its thumbprint
   */
  public static PackSigningKey fromJwk(String json) {
    Objects.requireNonNull(json, "json");
    JWK jwk;
    try {
      jwk = JWK.parse(json);
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a JWK: " + e.getMessage());
    }
    if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve())) {
      throw new IllegalArgumentException("a pack signing key is an EC P-256 JWK, not "
          + jwk.getKeyType() + (jwk instanceof ECKey ec2 ? " " + ec2.getCurve() : ""));
    }
    if (!ec.isPrivate()) {
      throw new IllegalArgumentException("the JWK is a public key; signing needs the private "
          + "key (its 'd' member)");
    }
    ECKey identified = withThumbprintId(ec);
    if (ec.getKeyID() != null && !ec.getKeyID().equals(identified.getKeyID())) {
      throw new IllegalArgumentException("the JWK's kid '" + ec.getKeyID()
          + "' is not its RFC 7638 thumbprint " + identified.getKeyID());
    }
    return new PackSigningKey(identified);
  }

  /**
   * Reads a private JWK file.
   *
   * @param file the file
   * @return the key
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException as {@link #fromJwk}, naming the file
   */
  public static PackSigningKey read(Path file) throws IOException {
    String json = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return fromJwk(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage());
    }
  }

  /**
   * The key id: the RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key.
   *
   * @return the key id
   */
  public String keyId() {
    return key.getKeyID();
  }

  /**
   * The private JWK, with its key id: secret.
   *
   * @return the private JWK as JSON
   */
  public String toJwk() {
    return key.toJSONString();
  }

  /**
   * The public key, as the set of keys a host trusts.
   *
   * @return a trust set holding only this key's public half
   */
  public TrustedKeys trustedKeys() {
    return TrustedKeys.of(List.of(key.toPublicJWK()));
  }

  /**
   * Signs a pack loaded from files: the compact JWS to write to {@value RulePack#SIGNATURE}
   * beside its manifest, over its id, version and the digests of the files it was loaded from.
   *
   * @param pack a pack loaded by {@link RulePack#load}
   * @return the compact JWS
   * @throws NullPointerException if {@code pack} is null
   * @throws IllegalArgumentException if the pack was not loaded from files, or its contents
   *     differ from the files it was loaded from
   */
  public String sign(RulePack pack) {
    Objects.requireNonNull(pack, "pack");
    List<String> differences = pack.files().differences(pack);
    if (!differences.isEmpty()) {
      throw new IllegalArgumentException("rule pack '" + pack.id() + "' cannot be signed: "
          + (pack.files().loaded() ? "its " + String.join(", ", differences)
              + " differ from the files it was loaded from" : "it was not loaded from files"));
    }
    JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID(key.getKeyID()).type(new JOSEObjectType(SignedManifest.TYPE)).build(),
        new Payload(SignedManifest.of(pack).toJson()));
    try {
      jws.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("ES256 signing failed: " + e.getMessage(), e);
    }
    return jws.serialize();
  }

  /** The key with its thumbprint as key id. */
  private static ECKey withThumbprintId(ECKey key) {
    try {
      return new ECKey.Builder(key).keyID(key.computeThumbprint().toString()).build();
    } catch (JOSEException e) {
      throw new IllegalStateException("SHA-256 thumbprint failed: " + e.getMessage(), e);
    }
  }

  /**
   * The key id only; never the private key.
   *
   * @return {@code PackSigningKey[kid]}
   */
  @Override
  public String toString() {
    return "PackSigningKey[" + key.getKeyID() + "]";
  }
}
