package io.github.cdsengine.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.pack.PackSigningKey;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.problem.RuleSetException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build signs every shipped pack with its key and ships the public half: each pack verifies
 * against {@link ShippedRulePacks#trustedKeys()}, and a copy with one byte changed does not.
 */
class ShippedPackSignaturesTest {

  @Test
  void everyShippedPackIsSignedByTheShippedKey() {
    List<RulePack> packs = ShippedRulePacks.all();
    assertThat(packs).hasSizeGreaterThan(5);
    for (RulePack pack : packs) {
      assertThat(pack.files().signature()).as(pack.id()).isPresent();
      assertThat(pack.files().digests()).as(pack.id()).containsKey("pack.json");
      assertThat(ShippedRulePacks.trustedKeys().check(pack)).as(pack.id()).isEmpty();
    }
    assertThat(ShippedRulePacks.trustedKeys().keyIds()).hasSize(1);
  }

  @Test
  void theGuidelinePacksBuildWhenSignedPacksAreRequired() {
    try (CdsEngine engine = CdsEngine.builder()
        .requireSignedPacks(ShippedRulePacks.trustedKeys())
        .addRulePacks(ShippedRulePacks.guidelines()).build()) {
      assertThat(engine.packs()).isNotEmpty();
    }
  }

  @Test
  void anotherKeyDoesNotAcceptTheShippedPacks() {
    RulePack pack = ShippedRulePacks.byId(ShippedRulePacks.USPSTF_COLORECTAL);
    List<RuleProblem> problems = PackSigningKey.generate().trustedKeys().check(pack);
    assertThat(problems).singleElement().satisfies(p -> assertThat(p.message())
        .contains("is signed with the key " + ShippedRulePacks.trustedKeys().keyIds()
            .iterator().next() + ", which is not trusted"));
  }

  @Test
  void aTamperedCopyOfAShippedPackIsRefused(@TempDir Path copy) throws IOException {
    RulePack shipped = ShippedRulePacks.byId(ShippedRulePacks.USPSTF_COLORECTAL);
    String manifest = shipped.files().manifest();
    String folder = manifest.substring(0, manifest.lastIndexOf('/') + 1);
    ClassLoader jar = ShippedRulePacks.class.getClassLoader();
    copy(jar, folder + RulePack.SIGNATURE, copy);
    for (String path : shipped.files().digests().keySet()) {
      copy(jar, Path.of(folder).resolve(path).normalize().toString().replace('\\', '/'), copy);
    }
    assertThat(ShippedRulePacks.trustedKeys().check(load(copy, manifest))).isEmpty();

    Path drl = copy.resolve(shipped.rules().get(0).name());
    byte[] bytes = Files.readAllBytes(drl);
    bytes[bytes.length / 2] ^= 1;
    Files.write(drl, bytes);
    RulePack tampered = load(copy, manifest);
    assertThat(ShippedRulePacks.trustedKeys().check(tampered)).singleElement()
        .satisfies(p -> {
          assertThat(p.file()).isEqualTo(drl.toString());
          assertThat(p.message()).contains("changed since signing");
        });
    assertThatExceptionOfType(RuleSetException.class).isThrownBy(() -> CdsEngine.builder()
        .requireSignedPacks(ShippedRulePacks.trustedKeys()).addRulePack(tampered).build())
        .satisfies(e -> assertThat(e.problems()).extracting(RuleProblem::file)
            .containsExactly(drl.toString()));
  }

  private static void copy(ClassLoader loader, String resource, Path root) throws IOException {
    Path target = root.resolve(resource);
    Files.createDirectories(target.getParent());
    try (InputStream in = loader.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      Files.write(target, in.readAllBytes());
    }
  }

  private static RulePack load(Path root, String manifest) throws IOException {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
      return RulePack.load(manifest, loader);
    }
  }
}
