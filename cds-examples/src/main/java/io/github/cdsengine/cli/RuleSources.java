package io.github.cdsengine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.terminology.ValueSet;
import io.github.cdsengine.core.terminology.ValueSetReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Rule files from the file system: DRL files, value-set files, and rule-pack directories (a
 * {@code pack.json} manifest with the files it names), found in the paths a user gives.
 *
 * @param packs the packs found, each named by its manifest
 * @param rules DRL files that belong to no pack found
 * @param valueSets value-set files that belong to no pack found
 * @param packValueSets the value-set files each pack names, by pack id
 */
record RuleSources(List<PackDirectory> packs, List<RuleFile> rules,
    List<ValueSetFile> valueSets, Map<String, List<ValueSetFile>> packValueSets) {

  /** The namespace of the shipped packs' helper packages. */
  private static final String SHIPPED_HELPERS = "io.github.cdsengine.rules";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A pack read from a directory, with the manifest's path for messages. */
  record PackDirectory(RulePack pack, String manifest) {}

  /** A value set and the file it was read from. */
  record ValueSetFile(String file, ValueSet valueSet) {}

  /**
   * Reads every DRL file, value-set file and pack under {@code paths}.
   *
   * @throws UsageException naming a path that does not exist
   * @throws InvalidDataException naming a file that cannot be read as what it should be
   */
  static RuleSources read(List<Path> paths, String option) {
    Set<Path> manifests = new java.util.TreeSet<>();
    Set<Path> drl = new java.util.TreeSet<>();
    Set<Path> json = new java.util.TreeSet<>();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new UsageException(option + ": no such file or directory: " + path);
      }
      for (Path file : files(path)) {
        String name = file.getFileName().toString();
        if (name.equals("pack.json")) {
          manifests.add(file);
        } else if (name.endsWith(".drl")) {
          drl.add(file);
        } else if (name.endsWith(".json")) {
          json.add(file);
        } else if (file.equals(path.toAbsolutePath().normalize())) {
          throw new UsageException(option + ": not a DRL (.drl), value set (.json) or pack "
              + "manifest (pack.json): " + path);
        }
      }
    }
    List<PackDirectory> packs = new ArrayList<>();
    Map<String, List<ValueSetFile>> packValueSets = new LinkedHashMap<>();
    Set<Path> inPacks = new HashSet<>();
    for (Path manifest : manifests) {
      Manifest listed = manifest(manifest);
      inPacks.addAll(listed.rules());
      inPacks.addAll(listed.valueSets());
      RulePack pack = load(manifest, listed.helperPackages());
      packs.add(new PackDirectory(pack, Paths.display(manifest)));
      List<ValueSetFile> files = new ArrayList<>();
      for (Path file : listed.valueSets()) {
        files.add(new ValueSetFile(Paths.display(file), valueSet(file)));
      }
      packValueSets.put(pack.id(), files);
    }
    List<RuleFile> rules = new ArrayList<>();
    for (Path file : drl) {
      if (!inPacks.contains(file)) {
        rules.add(new RuleFile(Paths.display(file), read(file)));
      }
    }
    List<ValueSetFile> valueSets = new ArrayList<>();
    for (Path file : json) {
      if (!inPacks.contains(file)) {
        valueSets.add(new ValueSetFile(Paths.display(file), valueSet(file)));
      }
    }
    return new RuleSources(packs, rules, valueSets, packValueSets);
  }

  /** Every value set in the {@code .json} files under {@code paths} (not pack manifests). */
  static List<ValueSetFile> valueSets(List<Path> paths, String option) {
    List<ValueSetFile> valueSets = new ArrayList<>();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new UsageException(option + ": no such file or directory: " + path);
      }
      for (Path file : files(path)) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json") && !name.equals("pack.json")) {
          valueSets.add(new ValueSetFile(Paths.display(file), valueSet(file)));
        }
      }
    }
    return valueSets;
  }

  /** The file itself, or every regular file under a directory, absolute, sorted. */
  private static List<Path> files(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    if (!Files.isDirectory(absolute)) {
      InputFiles.requireRegular(absolute);
      return List.of(absolute);
    }
    try (Stream<Path> walk = Files.walk(absolute)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UsageException("cannot read " + path + ": " + e.getMessage());
    }
  }

  private static String read(Path file) {
    try {
      try (InputStream in = InputFiles.open(file, InputFiles.DEFAULT_LIMIT)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UsageException("cannot read " + Paths.display(file) + ": " + e.getMessage());
    }
  }

  private static ValueSet valueSet(Path file) {
    try (InputStream in = InputFiles.open(file, InputFiles.DEFAULT_LIMIT)) {
      return ValueSetReader.read(in, Paths.display(file));
    } catch (IOException e) {
      throw new UsageException("cannot read " + Paths.display(file) + ": " + e.getMessage());
    }
  }

  /** The files a manifest names, absolute, and the helper packages it declares. */
  private record Manifest(List<Path> rules, List<Path> valueSets, List<String> helperPackages) {}

  private static Manifest manifest(Path manifest) {
    JsonNode root;
    try (InputStream in = InputFiles.open(manifest, InputFiles.DEFAULT_LIMIT)) {
      root = JSON.readTree(in);
    } catch (IOException e) {
      throw new InvalidDataException(Paths.display(manifest), "$",
          "not valid JSON: " + e.getMessage());
    }
    List<String> helperPackages = new ArrayList<>();
    root.path("helperPackages").forEach(entry -> helperPackages.add(entry.asText()));
    return new Manifest(listed(root, "rules", manifest), listed(root, "valueSets", manifest),
        helperPackages);
  }

  private static List<Path> listed(JsonNode root, String field, Path manifest) {
    List<Path> files = new ArrayList<>();
    root.path(field).forEach(entry ->
        files.add(manifest.getParent().resolve(entry.asText()).normalize()));
    return files;
  }

  /**
   * The pack whose manifest is {@code manifest}, read with a class loader whose root is the
   * directory a jar would have at its root ({@link #classPathRoot}), so that paths such as {@code
   * ../common/hospice.drl} resolve as they do in a jar and the pack's helper packages are its
   * own; rule files are named by their path as the user sees it.
   */
  private static RulePack load(Path manifest, List<String> helperPackages) {
    Path root = classPathRoot(manifest, helperPackages);
    String resource = root.relativize(manifest).toString().replace(File.separatorChar, '/');
    RulePack pack;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
      pack = RulePack.load(resource, loader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InvalidDataException e) {
      String problem = e.getMessage().substring(Math.min(e.getMessage().length(),
          (e.source() + ": " + e.path() + ": ").length()));
      throw new InvalidDataException(Paths.display(manifest), e.path(), problem);
    }
    // A folder read at run time brings DRL and JSON, never classes: every class its helper
    // packages could name is already on this program's class path (its libraries included), so
    // only the shipped packs' helper packages may be named.
    for (int i = 0; i < pack.helperPackages().size(); i++) {
      String helperPackage = pack.helperPackages().get(i);
      if (!helperPackage.startsWith(SHIPPED_HELPERS + ".")) {
        throw new InvalidDataException(Paths.display(manifest), "$.helperPackages[" + i + "]",
            "the helper package " + helperPackage + " is refused: a pack read from a folder may "
                + "call only the shipped packs' helpers (packages inside " + SHIPPED_HELPERS
                + "), since a folder adds no classes and every other package on the class path "
                + "is this program's own or a library's");
      }
    }
    List<RuleFile> rules = pack.rules().stream()
        .map(file -> new RuleFile(Paths.display(root.resolve(file.name())), file.content()))
        .toList();
    return new RulePack(pack.id(), pack.version(), pack.title(), rules, pack.valueSets(),
        pack.measures(), pack.valueSetNames(), List.of(), pack.settings(),
        pack.helperPackages(), pack.files(), pack.allowCriticalSnooze());
  }

  /**
   * The directory to read {@code manifest} from as a jar's root: for a pack that declares helper
   * packages, the one below which the manifest's directory spells the first of them or a package
   * that holds it ({@code .../resources} for {@code
   * .../resources/io/github/cdsengine/rules/cdc/opioids2016/pack.json} declaring {@code
   * io.github.cdsengine.rules.cdc.opioids2016}); otherwise, or when none does, the file system's
   * root, and loading the pack then says why its helper packages are not its own.
   */
  private static Path classPathRoot(Path manifest, List<String> helperPackages) {
    Path directory = manifest.getParent();
    if (!helperPackages.isEmpty()) {
      String helperPackage = helperPackages.get(0);
      for (Path root = directory.getParent(); root != null; root = root.getParent()) {
        String namespace = root.relativize(directory).toString()
            .replace(File.separatorChar, '.');
        if (helperPackage.equals(namespace) || helperPackage.startsWith(namespace + ".")) {
          return root;
        }
      }
    }
    return manifest.getRoot();
  }
}
