package io.github.cdsengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.pack.PackSigningKey;
import io.github.cdsengine.core.pack.TrustedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cds pack keygen, sign, verify} and {@code --require-signed} end to end, with real keys,
 * on a copy of the USPSTF colorectal pack in a temporary folder.
 */
class PackCommandTest {

  private static final Path COLORECTAL = ValidateCommandTest.RULES.resolve("uspstf/colorectal");

  @TempDir
  Path dir;
  private Path keys;
  private Path pack;

  @BeforeEach
  void keyAndPack() throws IOException {
    keys = dir.resolve("keys");
    Cli.Result keygen = Cli.run("pack", "keygen", "--out", keys.toString());
    assertThat(keygen.exitCode()).as(keygen.err()).isZero();
    pack = Files.createDirectories(dir.resolve("colorectal"));
    try (Stream<Path> files = Files.list(COLORECTAL)) {
      for (Path file : files.toList()) {
        Files.copy(file, pack.resolve(file.getFileName().toString()));
      }
    }
  }

  private Cli.Result sign() {
    return Cli.run("pack", "sign", "--key", keys.resolve("private.jwk").toString(),
        pack.toString());
  }

  private Cli.Result verify() {
    return Cli.run("pack", "verify", "--trust", keys.resolve("public.jwks").toString(),
        pack.toString());
  }

  @Test
  void keygenWritesAPrivateKeyOnlyItsOwnerReadsAndItsPublicKeySet() throws IOException {
    Path privateKey = keys.resolve("private.jwk");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)))
        .isEqualTo("rw-------");
    PackSigningKey key = PackSigningKey.read(privateKey);
    TrustedKeys trusted = TrustedKeys.read(keys.resolve("public.jwks"));
    assertThat(trusted.keyIds()).containsExactly(key.keyId());
    assertThat(Files.readString(keys.resolve("public.jwks"))).doesNotContain("\"d\"");
    Cli.Result again = Cli.run("pack", "keygen", "--out", keys.toString());
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("exists; a key is never overwritten");
    assertThat(PackSigningKey.read(privateKey).keyId()).isEqualTo(key.keyId());
  }

  @Test
  void aSignedPackVerifies() throws IOException {
    Cli.Result signed = sign();
    assertThat(signed.exitCode()).as(signed.err()).isZero();
    assertThat(signed.out()).contains("signed uspstf-colorectal-cancer-screening@1.3.0: 12 "
        + "files, key " + PackSigningKey.read(keys.resolve("private.jwk")).keyId());
    assertThat(pack.resolve("pack.sig")).exists();
    Cli.Result verified = verify();
    assertThat(verified.exitCode()).as(verified.err()).isZero();
    assertThat(verified.out()).contains("valid: uspstf-colorectal-cancer-screening@1.3.0, 12 "
        + "files signed by a trusted key");
  }

  @Test
  void aChangedFileAStrayFileAnUnsignedPackAndAnotherKeyFailVerification() throws IOException {
    assertThat(sign().exitCode()).isZero();
    Path drl = pack.resolve("colorectal-cancer-screening.drl");
    Files.writeString(drl, "// changed\n", StandardOpenOption.APPEND);
    Cli.Result changed = verify();
    assertThat(changed.exitCode()).isEqualTo(1);
    assertThat(changed.err()).contains("invalid: uspstf-colorectal-cancer-screening@1.3.0:")
        .contains(drl.toAbsolutePath() + ": rule pack 'uspstf-colorectal-cancer-screening@1.3.0':"
            + " colorectal-cancer-screening.drl changed since signing")
        .doesNotContain("Exception");

    assertThat(sign().exitCode()).isZero();
    Files.writeString(pack.resolve("extra.drl"), "package extra;\n");
    Cli.Result stray = verify();
    assertThat(stray.exitCode()).isEqualTo(1);
    assertThat(stray.err()).contains("extra.drl: not part of rule pack "
        + "'uspstf-colorectal-cancer-screening@1.3.0' and not signed");
    Files.delete(pack.resolve("extra.drl"));
    assertThat(verify().exitCode()).isZero();

    Path other = dir.resolve("other");
    assertThat(Cli.run("pack", "keygen", "--out", other.toString()).exitCode()).isZero();
    Cli.Result untrusted = Cli.run("pack", "verify", "--trust",
        other.resolve("public.jwks").toString(), pack.toString());
    assertThat(untrusted.exitCode()).isEqualTo(1);
    assertThat(untrusted.err()).contains("which is not trusted");

    Files.delete(pack.resolve("pack.sig"));
    Cli.Result unsigned = verify();
    assertThat(unsigned.exitCode()).isEqualTo(1);
    assertThat(unsigned.err()).contains(pack.resolve("pack.sig").toAbsolutePath()
        + ": rule pack 'uspstf-colorectal-cancer-screening@1.3.0' is not signed");
  }

  @Test
  void signAndVerifyReportUsageErrorsInOneLine() {
    Cli.Result noKey = Cli.run("pack", "sign", "--key", dir.resolve("none.jwk").toString(),
        pack.toString());
    assertThat(noKey.exitCode()).isEqualTo(2);
    assertThat(noKey.err()).startsWith("cds pack sign: --key: no such file: ");
    Cli.Result publicKey = Cli.run("pack", "sign", "--key",
        keys.resolve("public.jwks").toString(), pack.toString());
    assertThat(publicKey.exitCode()).isEqualTo(2);
    assertThat(publicKey.errLines()).hasSize(1);
    Cli.Result noManifest = Cli.run("pack", "sign", "--key",
        keys.resolve("private.jwk").toString(), keys.toString());
    assertThat(noManifest.exitCode()).isEqualTo(2);
    assertThat(noManifest.err()).contains("PACKDIR: no pack.json in " + keys);
    Cli.Result noTrust = Cli.run("pack", "verify", pack.toString());
    assertThat(noTrust.exitCode()).isEqualTo(2);
    assertThat(noTrust.err()).contains("--trust JWKS is required");
  }

  @Test
  void runLoadsOnlySignedPacksWhenRequired() throws IOException {
    String patient = RunCommandTest.NEVER_SCREENED_47;
    String trust = keys.resolve("public.jwks").toString();
    Cli.Result unsigned = Cli.run("run", "--require-signed", "--trust", trust, "--pack", "none",
        "--rules", pack.toString(), patient);
    assertThat(unsigned.exitCode()).isEqualTo(1);
    assertThat(unsigned.err()).contains("the rules do not build:")
        .contains("pack.sig:0: rule pack 'uspstf-colorectal-cancer-screening@1.3.0' is not "
            + "signed");

    assertThat(sign().exitCode()).isZero();
    Cli.Result signed = Cli.run("run", "--require-signed", "--trust", trust, "--pack", "none",
        "--rules", pack.toString(), patient);
    assertThat(signed.exitCode()).as(signed.err()).isZero();
    assertThat(signed.out()).contains("uspstf-crc-screening");

    Path loose = Files.writeString(dir.resolve("loose.drl"), ValidateCommandTest.rule("Loose",
        "loose-check", "PatientAge(years >= 18)"));
    Cli.Result refused = Cli.run("run", "--require-signed", "--trust", trust, "--pack", "none",
        "--rules", pack.toString(), "--rules", loose.toString(), patient);
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("loose.drl:0: the rule file is in no signed rule pack");
    Cli.Result allowed = Cli.run("run", "--require-signed", "--trust", trust,
        "--allow-unsigned-rule-files", "--pack", "none", "--rules", pack.toString(), "--rules",
        loose.toString(), patient);
    assertThat(allowed.exitCode()).as(allowed.err()).isZero();

    Cli.Result trustAlone = Cli.run("run", "--trust", trust, patient);
    assertThat(trustAlone.exitCode()).isEqualTo(2);
    assertThat(trustAlone.err()).contains("apply only with --require-signed");
  }

  @Test
  void validateReportsAChangedFileOfASignedPack() throws IOException {
    assertThat(sign().exitCode()).isZero();
    String trust = keys.resolve("public.jwks").toString();
    Cli.Result clean = Cli.run("validate", "--require-signed", "--trust", trust,
        pack.toString());
    assertThat(clean.exitCode()).as(clean.out() + clean.err()).isZero();
    Path valueSet = pack.resolve("valueset-crc-colonoscopy.json");
    Files.writeString(valueSet, Files.readString(valueSet).replace("\"active\"", "\"draft\""));
    Cli.Result changed = Cli.run("validate", "--require-signed", "--trust", trust,
        pack.toString());
    assertThat(changed.exitCode()).isEqualTo(1);
    assertThat(changed.out()).contains("valueset-crc-colonoscopy.json: rule pack "
        + "'uspstf-colorectal-cancer-screening@1.3.0': valueset-crc-colonoscopy.json changed "
        + "since signing");
  }

  @Test
  void testAndBatchAcceptTheShippedPacksByTheirBuildKeyAndRefuseThemByAnother(
      @TempDir Path out) {
    Cli.Result tested = Cli.run("test", "--require-signed", Cli.USPSTF_SCENARIOS.toString());
    assertThat(tested.exitCode()).as(tested.out() + tested.err()).isZero();
    Cli.Result refused = Cli.run("batch", "--at", "2025-06-15", "--out", out.toString(),
        "--require-signed", "--trust", keys.resolve("public.jwks").toString(),
        Cli.USPSTF_SCENARIOS.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("the rules do not build:")
        .contains("rule pack 'uspstf-colorectal-cancer-screening@1.3.0' is signed with the key ")
        .contains("which is not trusted");
  }
}
