package io.github.cdsengine.core.pack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The files a rule pack was loaded from, each with the SHA-256 of the bytes read, and the
 * detached signature ({@code pack.sig}) found beside its manifest, if any.
 *
 * <p>Only {@link RulePack#load} makes one, from the bytes it reads: a pack built in code carries
 * {@link #none()}, which no {@linkplain TrustedKeys trust policy} accepts. A pack record whose
 * rules, value sets or manifest fields differ from what these files held is refused as well,
 * so the files of one pack cannot vouch for another.
 */
public final class PackFiles {

  private static final PackFiles NONE = new PackFiles("", "", new TreeMap<>(), null, null);

  private final String manifest;
  private final String folder;
  private final SortedMap<String, String> digests;
  private final String signature;
  /** The pack as built from these files, carrying {@link #none()}; null for {@link #none()}. */
  private final RulePack loaded;

  PackFiles(String manifest, String folder, SortedMap<String, String> digests, String signature,
      RulePack loaded) {
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.folder = Objects.requireNonNull(folder, "folder");
    this.digests = Collections.unmodifiableSortedMap(new TreeMap<>(digests));
    this.signature = signature;
    this.loaded = loaded;
  }

  /**
   * The files of a pack that was not loaded from files: no digests, no signature.
   *
   * @return the empty instance
   */
  public static PackFiles none() {
    return NONE;
  }

  /**
   * Whether the pack was loaded from files ({@link RulePack#load}).
   *
   * @return false for {@link #none()}
   */
  public boolean loaded() {
    return loaded != null;
  }

  /**
   * The manifest's resource name as it was loaded, e.g. {@code
   * io/github/cdsengine/rules/measures/cms130/pack.json}; empty for {@link #none()}.
   *
   * @return the manifest's resource name
   */
  public String manifest() {
    return manifest;
  }

  /**
   * The SHA-256 of every file loaded (the manifest, every DRL file, every value set), as 64
   * lower-case hex digits, by the file's path relative to the manifest's folder ({@code
   * pack.json}, {@code rules.drl}, {@code ../common/hospice.drl}), sorted by path.
   *
   * @return the digests by path; empty for {@link #none()}
   */
  public SortedMap<String, String> digests() {
    return digests;
  }

  /**
   * The compact JWS read from {@code pack.sig} beside the manifest, whitespace stripped.
   *
   * @return the signature, or empty when the pack has no {@code pack.sig}
   */
  public Optional<String> signature() {
    return Optional.ofNullable(signature);
  }

  /**
   * Where a file of the pack is, for messages: {@code path} resolved against the manifest's
   * folder (a file-system path when the pack was read from a folder).
   */
  String location(String path) {
    List<String> segments = new ArrayList<>(List.of(folder.isEmpty() ? new String[0]
        : folder.split("/", -1)));
    if (!segments.isEmpty() && segments.get(segments.size() - 1).isEmpty()) {
      segments.remove(segments.size() - 1);
    }
    for (String segment : path.split("/")) {
      if (segment.equals("..") && !segments.isEmpty()) {
        segments.remove(segments.size() - 1);
      } else if (!segment.equals(".")) {
        segments.add(segment);
      }
    }
    return String.join("/", segments);
  }

  /**
   * What {@code pack} holds that the files it was loaded from did not: empty when its id,
   * version, title, rules' texts, value sets, measures, value-set names, settings and helper
   * packages are those loaded, and its services those loaded or none. Rule files may have been
   * renamed, since a name only labels a file in messages.
   */
  List<String> differences(RulePack pack) {
    if (loaded == null) {
      return List.of("it was not loaded from files");
    }
    List<String> differences = new ArrayList<>();
    compare(differences, "id", loaded.id(), pack.id());
    compare(differences, "version", loaded.version(), pack.version());
    compare(differences, "title", loaded.title(), pack.title());
    compare(differences, "rules", loaded.rules().stream().map(RuleFile::content).toList(),
        pack.rules().stream().map(RuleFile::content).toList());
    compare(differences, "value sets", loaded.valueSets(), pack.valueSets());
    compare(differences, "measures", loaded.measures(), pack.measures());
    compare(differences, "value set names", loaded.valueSetNames(), pack.valueSetNames());
    compare(differences, "settings", loaded.settings(), pack.settings());
    compare(differences, "helper packages", loaded.helperPackages(), pack.helperPackages());
    if (!pack.services().isEmpty()) {
      compare(differences, "services", loaded.services(), pack.services());
    }
    return differences;
  }

  private static void compare(List<String> differences, String what, Object loaded,
      Object held) {
    if (!loaded.equals(held)) {
      differences.add(what);
    }
  }

  /**
   * Equal when the manifest, the digests and the signature are.
   *
   * @param other another object
   * @return whether {@code other} describes the same files and signature
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof PackFiles files && manifest.equals(files.manifest)
        && digests.equals(files.digests) && Objects.equals(signature, files.signature);
  }

  /**
   * A hash of the manifest, the digests and the signature.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(manifest, digests, signature);
  }

  /**
   * The manifest, the number of files and whether a signature is present.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return loaded == null ? "PackFiles[none]" : "PackFiles[" + manifest + ", " + digests.size()
        + " files, " + (signature == null ? "unsigned" : "signed") + "]";
  }
}
