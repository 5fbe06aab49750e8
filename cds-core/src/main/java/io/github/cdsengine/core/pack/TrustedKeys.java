package io.github.cdsengine.core.pack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import io.github.cdsengine.core.problem.RuleProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The public keys whose signatures a host accepts on rule packs, each an EC P-256 JWK known by
 * its RFC 7638 thumbprint; given to {@link io.github.cdsengine.core.CdsEngine.Builder#requireSignedPacks}.
 *
 * <p>A valid signature proves that the holder of a trusted key signed exactly the files the pack
 * was loaded from: who published it, and that nothing changed since. It does not prove the rules
 * are right or safe; the rule policy still checks every file.
 */
public final class TrustedKeys {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Public keys by key id (thumbprint). */
  private final SortedMap<String, ECKey> keys;

  private TrustedKeys(SortedMap<String, ECKey> keys) {
    this.keys = Collections.unmodifiableSortedMap(keys);
  }

  /**
   * The keys of a JWK set (RFC 7517): {@code {"keys": [{"kty": "EC", "crv": "P-256", "x": ...,
   * "y": ...}, ...]}}. A key's {@code kid}, if present, must be its thumbprint.
   *
   * @param json the JWK set as JSON
   * @return the trusted keys
   * @throws NullPointerException if {@code json} is null
   * @throws IllegalArgumentException if it is not a JWK set, has no key, or holds a key that is
   *     not an EC P-256 public key or whose {@code kid} is not its thumbprint
   */
  public static TrustedKeys fromJwkSet(String json) {
    Objects.requireNonNull(json, "json");
    JWKSet set;
    try {
      set = JWKSet.parse(json);
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a JWK set: " + e.getMessage());
    }
    return of(set.getKeys());
  }

  /**
   * Reads a JWK set file.
   *
   * @param file the file
   * @return the trusted keys
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException as {@link #fromJwkSet}, naming the file
   */
  public static TrustedKeys read(Path file) throws IOException {
    String json = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return fromJwkSet(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage());
    }
  }

  static TrustedKeys of(List<JWK> jwks) {
    if (jwks.isEmpty()) {
      throw new IllegalArgumentException("the JWK set holds no key");
    }
    SortedMap<String, ECKey> keys = new TreeMap<>();
    for (JWK jwk : jwks) {
      if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve())) {
        throw new IllegalArgumentException("a trusted key is an EC P-256 public JWK, not "
            + jwk.getKeyType() + (jwk instanceof ECKey other ? " " + other.getCurve() : "")
            + " (kid " + jwk.getKeyID() + ")");
      }
      if (ec.isPrivate()) {
        throw new IllegalArgumentException("the JWK set holds a private key (kid "
            + ec.getKeyID() + "); give only public keys to trust");
      }
      String thumbprint;
      try {
        thumbprint = ec.computeThumbprint().toString();
      } catch (JOSEException e) {
        throw new IllegalStateException("SHA-256 thumbprint failed: " + e.getMessage(), e);
      }
      if (ec.getKeyID() != null && !ec.getKeyID().equals(thumbprint)) {
        throw new IllegalArgumentException("the key id '" + ec.getKeyID() + "' is not the "
            + "key's RFC 7638 thumbprint " + thumbprint);
      }
      keys.put(thumbprint, new ECKey.Builder(ec).keyID(thumbprint).build());
    }
    return new TrustedKeys(new TreeMap<>(keys));
  }

  /**
   * These keys and {@code other}'s.
   *
   * @param other more keys to trust
   * @return the keys of both
   * @throws NullPointerException if {@code other} is null
   */
  public TrustedKeys and(TrustedKeys other) {
    SortedMap<String, ECKey> both = new TreeMap<>(keys);
    both.putAll(Objects.requireNonNull(other, "other").keys);
    return new TrustedKeys(both);
  }

  /**
   * The trusted keys' ids (thumbprints), sorted.
   *
   * @return the key ids
   */
  public Set<String> keyIds() {
    return keys.keySet();
  }

  /**
   * The keys as a JWK set, each with its key id.
   *
   * @return the JWK set as JSON
   */
  public String toJwkSet() {
    return new JWKSet(new ArrayList<>(keys.values())).toString(true);
  }

  /**
   * Checks that {@code pack} carries a valid signature by one of these keys over exactly the
   * files it was loaded from, and that its contents are those files'. Each problem names the
   * pack and the file: the signature file for a missing, malformed or invalid signature, the
   * changed, added or removed file otherwise.
   *
   * @param pack the pack
   * @return the problems found; empty when the pack is signed by a trusted key and unchanged
   * @throws NullPointerException if {@code pack} is null
   */
  public List<RuleProblem> check(RulePack pack) {
    Objects.requireNonNull(pack, "pack");
    PackFiles files = pack.files();
    String name = "rule pack '" + pack.id() + "@" + pack.version() + "'";
    if (!files.loaded()) {
      return List.of(new RuleProblem(pack.id(), 0, name + " was not loaded from files "
          + "(RulePack.load), so it carries no signature; signed packs are required"));
    }
    String manifest = files.location(files.manifest().substring(
        files.manifest().lastIndexOf('/') + 1));
    String signatureFile = files.location(RulePack.SIGNATURE);
    List<String> differences = files.differences(pack);
    if (!differences.isEmpty()) {
      return List.of(new RuleProblem(manifest, 0, name + " holds " + String.join(", ",
          differences) + " other than the files it was loaded from; its signature cannot "
          + "vouch for it"));
    }
    if (files.signature().isEmpty()) {
      return List.of(new RuleProblem(signatureFile, 0, name + " is not signed: there is no "
          + RulePack.SIGNATURE + " beside its manifest; signed packs are required"));
    }
    String refused = signatureProblem(files.signature().get());
    if (refused != null) {
      return List.of(new RuleProblem(signatureFile, 0, name + ": " + refused));
    }
    SignedManifest signed;
    JWSObject jws;
    try {
      jws = JWSObject.parse(files.signature().get());
      signed = SignedManifest.parse(jws.getPayload().toBytes());
    } catch (ParseException | IllegalArgumentException e) {
      return List.of(new RuleProblem(signatureFile, 0, name + ": the signature is not a "
          + "valid compact JWS: " + e.getMessage()));
    }
    String kid = jws.getHeader().getKeyID();
    ECKey key = keys.get(kid);
    if (key == null) {
      return List.of(new RuleProblem(signatureFile, 0, name + " is signed with the key " + kid
          + ", which is not trusted; trusted keys: " + keys.keySet()));
    }
    try {
      if (!jws.verify(new ECDSAVerifier(key))) {
        return List.of(new RuleProblem(signatureFile, 0, name + ": the signature does not "
            + "verify with the trusted key " + kid + ": it was not made by that key, or the "
            + "signature file was altered"));
      }
    } catch (JOSEException e) {
      return List.of(new RuleProblem(signatureFile, 0, name + ": the signature cannot be "
          + "verified with the key " + kid + ": " + e.getMessage()));
    }
    List<RuleProblem> problems = new ArrayList<>();
    if (!signed.id().equals(pack.id()) || !signed.version().equals(pack.version())) {
      problems.add(new RuleProblem(manifest, 0, name + ": the signature is for rule pack '"
          + signed.id() + "@" + signed.version() + "'"));
    }
    Map<String, String> loaded = files.digests();
    for (Map.Entry<String, String> file : loaded.entrySet()) {
      String signedDigest = signed.files().get(file.getKey());
      if (signedDigest == null) {
        problems.add(new RuleProblem(files.location(file.getKey()), 0, name + ": "
            + file.getKey() + " is loaded but not signed: it was added after signing"));
      } else if (!signedDigest.equals(file.getValue())) {
        problems.add(new RuleProblem(files.location(file.getKey()), 0, name + ": "
            + file.getKey() + " changed since signing: SHA-256 " + file.getValue()
            + ", signed " + signedDigest));
      }
    }
    for (String path : signed.files().keySet()) {
      if (!loaded.containsKey(path)) {
        problems.add(new RuleProblem(files.location(path), 0, name + ": " + path
            + " is signed but not loaded: it was removed after signing"));
      }
    }
    return problems;
  }

  /**
   * Why a compact JWS is refused before its signature is checked: not three base64url parts, a
   * header that is not JSON, an algorithm other than ES256 (none and HMAC among them), a
   * missing key id, another type, or critical extensions; null when none of these.
   */
  private static String signatureProblem(String compact) {
    if (compact.length() > RulePack.MAX_SIGNATURE_BYTES) {
      return "the signature is not a valid compact JWS: longer than "
          + RulePack.MAX_SIGNATURE_BYTES + " bytes";
    }
    String[] parts = compact.split("\\.", -1);
    if (parts.length != 3) {
      return "the signature is not a valid compact JWS: expected three base64url parts "
          + "separated by dots, found " + parts.length;
    }
    JsonNode header;
    try {
      header = JSON.readTree(new Base64URL(parts[0]).decode());
    } catch (IOException | RuntimeException e) {
      return "the signature is not a valid compact JWS: its header is not base64url JSON";
    }
    if (header == null || !header.isObject()) {
      return "the signature is not a valid compact JWS: its header is not a JSON object";
    }
    JsonNode alg = header.get("alg");
    if (alg == null || !alg.isTextual()
        || !alg.asText().equals(JWSAlgorithm.ES256.getName())) {
      return "the signature's algorithm " + alg + " is not allowed: pack signatures must be "
          + JWSAlgorithm.ES256.getName();
    }
    JsonNode kid = header.get("kid");
    if (kid == null || !kid.isTextual()) {
      return "the signature's header has no key id (kid)";
    }
    JsonNode type = header.get("typ");
    if (type == null || !type.asText().equals(SignedManifest.TYPE)) {
      return "the signature's type " + type + " is not \"" + SignedManifest.TYPE + "\"";
    }
    if (header.has("crit") || header.has("b64")) {
      return "the signature's header has critical extensions, which pack signatures do not use";
    }
    if (parts[1].isEmpty() || parts[2].isEmpty()) {
      return "the signature is not a valid compact JWS: its payload or signature part is empty";
    }
    return null;
  }

  /**
   * The key ids.
   *
   * @return {@code TrustedKeys[kid, ...]}
   */
  @Override
  public String toString() {
    return "TrustedKeys" + keys.keySet();
  }
}
