package io.github.cdsengine.rules;

import io.github.cdsengine.core.pack.PackSigningKey;
import io.github.cdsengine.core.pack.RulePack;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Signs the shipped packs at build time, run by the build (exec:java, test class path) before
 * the tests and the jar: with the build's key (generated once per build directory, kept outside
 * the classes, never committed) it writes {@value RulePack#SIGNATURE} beside each pack manifest the classes
 * directory lists in {@value RulePack#INDEX}, and the key's public half to {@value
 * ShippedRulePacks#TRUSTED_KEYS}. A pack whose signature already verifies against the key is
 * left as it is, so a build that changes nothing writes nothing.
 */
public final class ShippedPackSigner {

  private ShippedPackSigner() {}

  /**
   * Signs the packs.
   *
   * @param args the classes directory, then the build key's file
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: ShippedPackSigner CLASSES_DIR BUILD_KEY_FILE");
    }
    Path classes = Path.of(args[0]);
    PackSigningKey key = buildKey(Path.of(args[1]));
    List<String> manifests;
    try (BufferedReader index = Files.newBufferedReader(classes.resolve(RulePack.INDEX),
        StandardCharsets.UTF_8)) {
      manifests = index.lines().map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }
    int signed = 0;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
      for (String manifest : manifests) {
        RulePack pack = RulePack.load(manifest, loader);
        if (pack.files().signature().isPresent() && key.trustedKeys().check(pack).isEmpty()) {
          continue;
        }
        Path signature = classes.resolve(manifest).resolveSibling(RulePack.SIGNATURE);
        Files.writeString(signature, key.sign(pack) + "\n", StandardCharsets.UTF_8);
        signed++;
      }
    }
    Path trusted = classes.resolve(ShippedRulePacks.TRUSTED_KEYS);
    String jwks = key.trustedKeys().toJwkSet() + "\n";
    if (!Files.exists(trusted) || !Files.readString(trusted).equals(jwks)) {
      Files.createDirectories(trusted.getParent());
      Files.writeString(trusted, jwks, StandardCharsets.UTF_8);
    }
    System.out.println("Signed " + signed + " of " + manifests.size()
        + " shipped rule packs with the build key " + key.keyId());
  }

  /** The build's key from {@code file}, generated there (readable by the owner only) if absent. */
  private static PackSigningKey buildKey(Path file) throws IOException {
    if (Files.exists(file)) {
      return PackSigningKey.read(file);
    }
    PackSigningKey key = PackSigningKey.generate();
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(file, key.toJwk(), StandardCharsets.UTF_8);
    return key;
  }
}
