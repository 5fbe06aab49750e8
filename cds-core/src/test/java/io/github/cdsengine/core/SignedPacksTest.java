package io.github.cdsengine.core;

import static io.github.cdsengine.core.testing.TestRules.buildFails;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.pack.PackFiles;
import io.github.cdsengine.core.pack.PackSigningKey;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.pack.TrustedKeys;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.problem.RuleSetException;
import io.github.cdsengine.core.testing.TestRules;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed rule packs with real ES256 keys: a pack signed and loaded from a folder verifies against
 * the signing key, and every change to its files, its signature or the key is refused with the
 * pack and file named.
 */
class SignedPacksTest {

  private static final PackSigningKey KEY = PackSigningKey.generate();
  private static final PackSigningKey OTHER_KEY = PackSigningKey.generate();

  private static final String MANIFEST = """
      {"id": "screening", "version": "1.0.0", "title": "Screening (test)",
       "rules": ["screening.drl", "../common/shared.drl"],
       "valueSets": ["valueset-colonoscopy.json"]}
      """;

  private static final String VALUE_SET = """
      {"resourceType": "ValueSet", "id": "colonoscopy", "url": "http://example.org/ValueSet/c",
       "version": "1", "title": "Colonoscopy", "status": "active",
       "compose": {"include": [{"system": "http://snomed.info/sct",
                                "concept": [{"code": "73761001"}]}]}}
      """;

  @TempDir
  Path root;
  private Path pack;

  @BeforeEach
  void writePack() throws IOException {
    pack = Files.createDirectories(root.resolve("screening"));
    Files.createDirectories(root.resolve("common"));
    Files.writeString(pack.resolve("pack.json"), MANIFEST);
    Files.writeString(pack.resolve("screening.drl"), TestRules.file("screening.drl",
        recommending("Adult screening", "adult-screening", "USPSTF:B", "screening", "info",
            "    PatientAge(years >= 18)", "Adult.")).content());
    Files.writeString(root.resolve("common/shared.drl"), TestRules.HEADER.replace("test.rules",
        "test.shared") + recommending("Shared check", "shared-check", "USPSTF:B", "screening",
            "info", "    PatientAge(years >= 18)", "Shared."));
    Files.writeString(pack.resolve("valueset-colonoscopy.json"), VALUE_SET);
  }

  private RulePack load() throws IOException {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
      return RulePack.load("screening/pack.json", loader);
    }
  }

  private void sign(PackSigningKey key) throws IOException {
    Files.writeString(pack.resolve("pack.sig"), key.sign(load()));
  }

  private List<RuleProblem> check() throws IOException {
    return KEY.trustedKeys().check(load());
  }

  private String signatureFile() {
    return pack.resolve("pack.sig").toString();
  }

  @Test
  void aPackSignedWithATrustedKeyVerifiesAndBuilds() throws IOException {
    sign(KEY);
    RulePack signed = load();
    assertThat(signed.files().digests()).containsOnlyKeys("../common/shared.drl", "pack.json",
        "screening.drl", "valueset-colonoscopy.json");
    assertThat(signed.files().digests().get("screening.drl")).isEqualTo(sha256(
        Files.readAllBytes(pack.resolve("screening.drl"))));
    assertThat(KEY.trustedKeys().check(signed)).isEmpty();
    try (CdsEngine engine = CdsEngine.builder().requireSignedPacks(KEY.trustedKeys())
        .addRulePack(signed).build()) {
      assertThat(engine.evaluate(EngineEvaluationTest.adult(), EngineEvaluationTest.JAN_2025)
          .recommendations()).extracting(Recommendation::id)
          .containsExactlyInAnyOrder("adult-screening", "shared-check");
    }
  }

  @Test
  void theSignatureIsAnEs256JwsWithTheThumbprintAsKeyIdOverTheCanonicalManifest()
      throws Exception {
    sign(KEY);
    JWSObject jws = JWSObject.parse(Files.readString(pack.resolve("pack.sig")));
    assertThat(jws.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    ECKey key = ECKey.parse(KEY.toJwk());
    assertThat(jws.getHeader().getKeyID()).isEqualTo(KEY.keyId())
        .isEqualTo(key.computeThumbprint().toString());
    assertThat(jws.getHeader().getType()).isEqualTo(new JOSEObjectType("cds-pack+jws"));
    RulePack loaded = load();
    StringBuilder files = new StringBuilder();
    loaded.files().digests().forEach((path, sha) -> files.append(files.isEmpty() ? "" : ",")
        .append("{\"path\":\"").append(path).append("\",\"sha256\":\"").append(sha)
        .append("\"}"));
    assertThat(jws.getPayload().toString()).isEqualTo("{\"files\":[" + files
        + "],\"id\":\"screening\",\"version\":\"1.0.0\"}");
    assertThat(jws.getPayload().toString()).startsWith(
        "{\"files\":[{\"path\":\"../common/shared.drl\"");
  }

  @Test
  void aChangedRuleFileByteIsRefusedNamingTheFile() throws IOException {
    sign(KEY);
    byte[] drl = Files.readAllBytes(pack.resolve("screening.drl"));
    int at = new String(drl, StandardCharsets.UTF_8).indexOf(">= 18") + 4;
    drl[at] = '9';
    Files.write(pack.resolve("screening.drl"), drl);
    assertThat(check()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo(pack.resolve("screening.drl").toString());
      assertThat(p.message()).startsWith("rule pack 'screening@1.0.0': screening.drl changed "
          + "since signing: SHA-256 " + sha256(drl) + ", signed ");
    });
  }

  @Test
  void aChangedSharedFileOrValueSetIsRefused() throws IOException {
    sign(KEY);
    Files.writeString(root.resolve("common/shared.drl"), "\n", java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(pack.resolve("valueset-colonoscopy.json"), VALUE_SET.replace("73761001",
        "444783004"));
    assertThat(check()).extracting(RuleProblem::file).containsExactly(
        root.resolve("common/shared.drl").toString(),
        pack.resolve("valueset-colonoscopy.json").toString());
  }

  @Test
  void anAddedFileIsRefused() throws IOException {
    sign(KEY);
    Files.writeString(pack.resolve("extra.drl"), TestRules.file("extra.drl").content());
    Files.writeString(pack.resolve("pack.json"), MANIFEST.replace("\"screening.drl\",",
        "\"screening.drl\", \"extra.drl\","));
    assertThat(check()).extracting(RuleProblem::toString).containsExactly(
        pack.resolve("extra.drl") + ":0: rule pack 'screening@1.0.0': extra.drl is loaded but "
            + "not signed: it was added after signing",
        pack.resolve("pack.json") + ":0: rule pack 'screening@1.0.0': pack.json changed since "
            + "signing: SHA-256 " + sha256(Files.readAllBytes(pack.resolve("pack.json")))
            + ", signed " + sha256(MANIFEST.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aRemovedFileIsRefused() throws IOException {
    sign(KEY);
    Files.writeString(pack.resolve("pack.json"), MANIFEST.replace(", \"../common/shared.drl\"",
        ""));
    Files.delete(root.resolve("common/shared.drl"));
    assertThat(check()).extracting(RuleProblem::file).containsExactlyInAnyOrder(
        pack.resolve("pack.json").toString(), root.resolve("common/shared.drl").toString());
    assertThat(check()).anySatisfy(p -> assertThat(p.message()).isEqualTo(
        "rule pack 'screening@1.0.0': ../common/shared.drl is signed but not loaded: it was "
            + "removed after signing"));
  }

  @Test
  void anotherPacksManifestOrSignatureIsRefused() throws IOException {
    sign(KEY);
    String signature = Files.readString(pack.resolve("pack.sig"));
    Files.writeString(pack.resolve("pack.json"), MANIFEST.replace("\"screening\"",
        "\"other\"").replace("1.0.0", "2.0.0"));
    assertThat(check()).anySatisfy(p -> assertThat(p.toString()).isEqualTo(
        pack.resolve("pack.json") + ":0: rule pack 'other@2.0.0': the signature is for rule "
            + "pack 'screening@1.0.0'"));
    // The other pack signed as itself: its signature in this pack's folder is refused.
    sign(KEY);
    Files.writeString(pack.resolve("pack.json"), MANIFEST);
    Files.writeString(pack.resolve("pack.sig"), Files.readString(pack.resolve("pack.sig")));
    assertThat(check()).extracting(RuleProblem::message).contains(
        "rule pack 'screening@1.0.0': the signature is for rule pack 'other@2.0.0'");
    Files.writeString(pack.resolve("pack.sig"), signature);
    assertThat(check()).isEmpty();
  }

  @Test
  void aKeyThatIsNotTrustedIsRefused() throws IOException {
    sign(OTHER_KEY);
    assertThat(check()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo(signatureFile());
      assertThat(p.message()).isEqualTo("rule pack 'screening@1.0.0' is signed with the key "
          + OTHER_KEY.keyId() + ", which is not trusted; trusted keys: [" + KEY.keyId() + "]");
    });
  }

  @Test
  void aSignatureByAnotherKeyUnderTheTrustedKeysIdIsRefused() throws Exception {
    sign(KEY);
    JWSObject genuine = JWSObject.parse(Files.readString(pack.resolve("pack.sig")));
    JWSObject forged = new JWSObject(genuine.getHeader(), genuine.getPayload());
    forged.sign(new ECDSASigner(ECKey.parse(OTHER_KEY.toJwk())));
    Files.writeString(pack.resolve("pack.sig"), forged.serialize());
    assertThat(check()).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo(
        "rule pack 'screening@1.0.0': the signature does not verify with the trusted key "
            + KEY.keyId() + ": it was not made by that key, or the signature file was altered"));
  }

  @Test
  void aChangedSignedManifestIsRefused() throws Exception {
    sign(KEY);
    String[] parts = Files.readString(pack.resolve("pack.sig")).split("\\.");
    String payload = new Base64URL(parts[1]).decodeToString().replace("1.0.0", "1.0.1");
    Files.writeString(pack.resolve("pack.sig"), parts[0] + "." + Base64URL.encode(payload)
        + "." + parts[2]);
    assertThat(check()).singleElement().satisfies(p -> assertThat(p.message())
        .contains("the signature does not verify with the trusted key"));
  }

  @Test
  void algNoneIsRefused() throws IOException {
    sign(KEY);
    String[] parts = Files.readString(pack.resolve("pack.sig")).split("\\.");
    String none = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"" + KEY.keyId()
        + "\",\"typ\":\"cds-pack+jws\"}") + "." + parts[1] + ".";
    Files.writeString(pack.resolve("pack.sig"), none);
    assertThat(check()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo(signatureFile());
      assertThat(p.message()).isEqualTo("rule pack 'screening@1.0.0': the signature's "
          + "algorithm \"none\" is not allowed: pack signatures must be ES256");
    });
  }

  @Test
  void hmacWithThePublicKeyAsSecretIsRefused() throws Exception {
    sign(KEY);
    JWSObject genuine = JWSObject.parse(Files.readString(pack.resolve("pack.sig")));
    JWSObject hmac = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .keyID(KEY.keyId()).type(new JOSEObjectType("cds-pack+jws")).build(),
        new Payload(genuine.getPayload().toBytes()));
    hmac.sign(new MACSigner(KEY.trustedKeys().toJwkSet().getBytes(StandardCharsets.UTF_8)));
    Files.writeString(pack.resolve("pack.sig"), hmac.serialize());
    assertThat(check()).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo(
        "rule pack 'screening@1.0.0': the signature's algorithm \"HS256\" is not allowed: pack "
            + "signatures must be ES256"));
  }

  @Test
  void aTruncatedOrMalformedSignatureIsRefused() throws IOException {
    sign(KEY);
    String jws = Files.readString(pack.resolve("pack.sig"));
    Files.writeString(pack.resolve("pack.sig"), jws.substring(0, jws.length() - 10));
    assertThat(check()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo(signatureFile());
      assertThat(p.message()).startsWith("rule pack 'screening@1.0.0': the signature ");
    });
    Files.writeString(pack.resolve("pack.sig"), jws.substring(0, jws.lastIndexOf('.')));
    assertThat(check()).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo(
        "rule pack 'screening@1.0.0': the signature is not a valid compact JWS: expected three "
            + "base64url parts separated by dots, found 2"));
    Files.writeString(pack.resolve("pack.sig"), "not a signature");
    assertThat(check()).singleElement().satisfies(p -> assertThat(p.message())
        .startsWith("rule pack 'screening@1.0.0': the signature is not a valid compact JWS"));
  }

  @Test
  void aPayloadThatIsNotAManifestIsRefused() throws Exception {
    JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(KEY.keyId())
        .type(new JOSEObjectType("cds-pack+jws")).build(),
        new Payload("{\"id\":\"screening\",\"id\":\"screening\",\"version\":\"1.0.0\","
            + "\"files\":[]}"));
    jws.sign(new ECDSASigner(ECKey.parse(KEY.toJwk())));
    Files.writeString(pack.resolve("pack.sig"), jws.serialize());
    assertThat(check()).singleElement().satisfies(p -> assertThat(p.message())
        .startsWith("rule pack 'screening@1.0.0': the signature is not a valid compact JWS: "
            + "the signed manifest is not JSON: Duplicate field 'id'"));
  }

  @Test
  void anUnknownKeyIdIsRefused() throws Exception {
    sign(KEY);
    JWSObject genuine = JWSObject.parse(Files.readString(pack.resolve("pack.sig")));
    JWSObject unknown = new JWSObject(new JWSHeader.Builder(genuine.getHeader())
        .keyID("no-such-key").build(), genuine.getPayload());
    unknown.sign(new ECDSASigner(ECKey.parse(KEY.toJwk())));
    Files.writeString(pack.resolve("pack.sig"), unknown.serialize());
    assertThat(check()).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo(
        "rule pack 'screening@1.0.0' is signed with the key no-such-key, which is not trusted; "
            + "trusted keys: [" + KEY.keyId() + "]"));
  }

  @Test
  void aPackWhoseContentsAreNotItsFilesIsRefused() throws IOException {
    sign(KEY);
    RulePack signed = load();
    RulePack swapped = new RulePack(signed.id(), signed.version(), signed.title(),
        List.of(new RuleFile("screening.drl", signed.rules().get(0).content() + "\n")),
        signed.valueSets(), signed.measures(), signed.valueSetNames(), signed.services(),
        signed.settings(), List.of(), signed.files(), false);
    assertThat(KEY.trustedKeys().check(swapped)).singleElement().satisfies(p ->
        assertThat(p.message()).isEqualTo("rule pack 'screening@1.0.0' holds rules other than "
            + "the files it was loaded from; its signature cannot vouch for it"));
    RulePack renamed = new RulePack(signed.id(), signed.version(), signed.title(),
        signed.rules().stream().map(f -> new RuleFile("/elsewhere/" + f.name(), f.content()))
            .toList(), signed.valueSets(), signed.measures(), signed.valueSetNames(), List.of(),
        signed.settings(), signed.helperPackages(), signed.files(), false);
    assertThat(KEY.trustedKeys().check(renamed)).isEmpty();
    RulePack inCode = new RulePack("screening", "1.0.0", "t", signed.rules(), List.of());
    assertThat(KEY.trustedKeys().check(inCode)).singleElement().satisfies(p ->
        assertThat(p.message()).contains("was not loaded from files"));
    assertThatIllegalArgumentException().isThrownBy(() -> KEY.sign(inCode))
        .withMessageContaining("it was not loaded from files");
  }

  @Test
  void theEngineRefusesAnUnsignedPackAndALooseRuleFileWithTheirFiles() throws IOException {
    RuleFile loose = TestRules.file("loose.drl", recommending("Loose", "loose-check",
        "USPSTF:B", "screening", "info", "    PatientAge(years >= 18)", "Loose."));
    RuleSetException e = buildFails(CdsEngine.builder().requireSignedPacks(KEY.trustedKeys())
        .addRulePack(load()).addRules(loose));
    assertThat(e.problems()).extracting(RuleProblem::toString).containsExactly(
        signatureFile() + ":0: rule pack 'screening@1.0.0' is not signed: there is no pack.sig "
            + "beside its manifest; signed packs are required",
        "loose.drl:0: the rule file is in no signed rule pack, and signed packs are required; "
            + "sign it into a pack, or allow unsigned rule files");
    assertThat(e.getMessage()).doesNotContain("Exception");
  }

  @Test
  void theEngineAdmitsALooseRuleFileOnlyWhenAllowed() throws IOException {
    sign(KEY);
    RuleFile loose = TestRules.file("loose.drl", recommending("Loose", "loose-check",
        "USPSTF:B", "screening", "info", "    PatientAge(years >= 18)", "Loose."));
    assertThat(buildFails(CdsEngine.builder().requireSignedPacks(KEY.trustedKeys())
        .addRulePack(load()).addRules(loose)).problems()).extracting(RuleProblem::file)
        .containsExactly("loose.drl");
    try (CdsEngine engine = CdsEngine.builder().requireSignedPacks(KEY.trustedKeys())
        .allowUnsignedRuleFiles().addRulePack(load()).addRules(loose).build()) {
      assertThat(engine.rules()).hasSize(3);
    }
  }

  @Test
  void withoutTheRequirementUnsignedPacksAndLooseFilesBuild() throws IOException {
    try (CdsEngine engine = CdsEngine.builder().addRulePack(load()).build()) {
      assertThat(engine.packs()).containsExactly("screening@1.0.0");
    }
    assertThat(load().files().signature()).isEmpty();
    assertThat(PackFiles.none().loaded()).isFalse();
  }

  @Test
  void keysRoundTripAsJwkAndTrustSetsHoldOnlyPublicP256Keys() {
    PackSigningKey again = PackSigningKey.fromJwk(KEY.toJwk());
    assertThat(again.keyId()).isEqualTo(KEY.keyId());
    TrustedKeys trusted = TrustedKeys.fromJwkSet(KEY.trustedKeys().toJwkSet());
    assertThat(trusted.keyIds()).containsExactly(KEY.keyId());
    assertThat(KEY.trustedKeys().toJwkSet()).doesNotContain("\"d\"");
    assertThatIllegalArgumentException().isThrownBy(() -> TrustedKeys.fromJwkSet(
        "{\"keys\":[" + KEY.toJwk() + "]}")).withMessageContaining("private key");
    assertThatIllegalArgumentException().isThrownBy(() -> PackSigningKey.fromJwk(
        KEY.trustedKeys().toJwkSet().replaceFirst("^\\{\"keys\":\\[", "").replaceFirst("]}$",
            ""))).withMessageContaining("public key");
    assertThatIllegalArgumentException().isThrownBy(() -> TrustedKeys.fromJwkSet(
        KEY.trustedKeys().toJwkSet().replace(KEY.keyId(), "mine")))
        .withMessageContaining("'mine' is not the key's RFC 7638 thumbprint");
    assertThatIllegalArgumentException().isThrownBy(() -> TrustedKeys.fromJwkSet(
        "{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}"))
        .withMessageContaining("EC P-256 public JWK, not oct");
    assertThatIllegalArgumentException().isThrownBy(() -> TrustedKeys.fromJwkSet("{\"keys\":[]}"))
        .withMessageContaining("no key");
  }

  private static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
