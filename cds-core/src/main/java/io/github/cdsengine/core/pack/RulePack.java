package io.github.cdsengine.core.pack;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.terminology.ValueSet;
import io.github.cdsengine.core.terminology.ValueSetReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.evaluation.ServiceDefinition;
import io.github.cdsengine.core.evaluation.SettingDefinition;

/**
 * A named, versioned set of guideline rules and the value sets they use, as shipped in a jar.
 *
 * <p>A pack is described by a JSON manifest on the classpath:
 *
 * <pre>{@code
 * {"id": "uspstf-colorectal-cancer-screening", "version": "1.0.0",
 *  "title": "USPSTF colorectal cancer screening (2021)",
 *  "rules": ["colorectal-cancer-screening.drl"],
 *  "valueSets": ["valueset-crc-colonoscopy.json"]}
 * }</pre>
 *
 * with paths relative to the manifest ({@code ../common/hospice.drl} reaches a file that several
 * packs share: an engine given two packs that name the same file compiles it once). A jar lists
 * its manifests, one resource path a line, in {@value #INDEX}, which {@link
 * #discover(ClassLoader)} reads.
 *
 * <p>A quality-measure pack also declares its {@linkplain MeasureDefinition measures}, and may
 * name value sets it does not ship, binding the names its rules use to canonical URLs:
 *
 * <pre>{@code
 * "measures": [{"id": "CMS130", "title": "Colorectal Cancer Screening", "version": "0.3.000",
 *               "url": "https://madie.cms.gov/Measure/ColonCancerScreeningFHIR", "groups": 1,
 *               "improvement": "increase"}],
 * "valueSetNames": {"Colonoscopy":
 *     "http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113883.3.464.1003.108.12.1020"}
 * }</pre>
 *
 * A rule then writes {@code valueSets.includes("Colonoscopy", code)}, and the host loads the
 * value set's expansion (for CMS measures, from VSAC) with {@link io.github.cdsengine.core.CdsEngine.Builder#addValueSets}.
 * The engine build fails, naming the URL, when a named value set is not loaded.
 *
 * <p>A pack may declare boolean {@linkplain SettingDefinition settings}, each with its default
 * and the source it comes from; a host overrides one with {@link io.github.cdsengine.core.CdsEngine.Builder#packSetting}
 * and rules read it through {@link io.github.cdsengine.core.rule.PackSettings}:
 *
 * <pre>{@code
 * "settings": [{"name": "opiate-urine-screening-check", "default": true,
 *               "description": "Opiate screens count ...",
 *               "source": "cqframework opioid-cds-r4 v2016, OpioidCDSCommonConfig ..."}]
 * }</pre>
 *
 * <p>A pack whose rules call Java helpers of its own names their packages, and the rule policy
 * lets that pack's rule files, and no others, call every public class in them:
 *
 * <pre>{@code
 * "helperPackages": ["io.github.cdsengine.rules.cdc.opioids2016"]
 * }</pre>
 *
 * A helper package must be the pack's own: the package of its manifest's directory ({@code
 * io/github/cdsengine/rules/cdc/opioids2016/pack.json} may declare {@code
 * io.github.cdsengine.rules.cdc.opioids2016} and packages inside it), and none of the {@linkplain
 * #reservedPackage reserved packages}. A rule file added to the engine on its own calls none.
 *
 * <p>A clinician may snooze a recommendation for a patient ({@link
 * io.github.cdsengine.core.evaluation.Snooze}), except a {@code critical} one: a pack whose
 * critical recommendations may be snoozed says so (absent, it is {@code false}); a snooze of a
 * critical recommendation from any other pack, or from rule files outside packs, is ignored with a
 * data warning:
 *
 * <pre>{@code
 * "allowCriticalSnooze": true
 * }</pre>
 *
 * <h2>Signature</h2>
 *
 * A pack may carry a detached signature over its files: a file {@value #SIGNATURE} beside the
 * manifest holding a compact JWS (RFC 7515) with the header {@code {"alg": "ES256", "kid":
 * KEY_ID, "typ": "cds-pack+jws"}}, where the key id is the signing key's RFC 7638 JWK thumbprint
 * (SHA-256, base64url), and whose payload is this manifest of the pack, as UTF-8 JSON with no
 * whitespace, keys in this order:
 *
 * <pre>{@code
 * {"files":[{"path":"../common/hospice.drl","sha256":"9f86d0..."},
 *           {"path":"colorectal-cancer-screening.drl","sha256":"..."},
 *           {"path":"pack.json","sha256":"..."}],
 *  "id":"uspstf-colorectal-cancer-screening","version":"1.0.0"}
 * }</pre>
 *
 * {@code files} lists every file the pack loads (the manifest, every DRL file, every value set)
 * once, by its path relative to the manifest's folder with {@code /} separators, sorted by path
 * (Java {@link String#compareTo} order), each with the SHA-256 of its bytes in 64 lower-case hex
 * digits. {@link #load} computes the digests from the bytes it reads and keeps them, with the
 * signature, in {@link #files()}; {@link TrustedKeys#check} compares them with the signed
 * manifest and refuses the pack on any difference. {@link PackSigningKey#sign} writes the JWS.
 * ES256 (ECDSA on P-256 with SHA-256) is the one algorithm accepted.
 *
 * @param id the pack's stable id
 * @param version the pack's version
 * @param title a human-readable title
 * @param rules the DRL files
 * @param valueSets the value sets the pack ships
 * @param measures the quality measures whose populations the rules compute
 * @param valueSetNames names rules use for value sets, each bound to a canonical URL
 * @param services the CDS Hooks services the pack offers; empty offers the pack as one service
 * @param settings the switches the pack declares, with their defaults; names are unique
 * @param helperPackages the packages of Java helpers the pack's rules may call, each once
 * @param files the files the pack was loaded from, with their digests and signature; {@link
 *     PackFiles#none()} for a pack built in code
 * @param allowCriticalSnooze whether clinicians may snooze the pack's {@code critical}
 *     recommendations ({@code "allowCriticalSnooze"} in {@code pack.json}, {@code false} when
 *     absent)
 */
public record RulePack(String id, String version, String title, List<RuleFile> rules,
    List<ValueSet> valueSets, List<MeasureDefinition> measures,
    Map<String, String> valueSetNames, List<ServiceDefinition> services,
    List<SettingDefinition> settings, List<String> helperPackages, PackFiles files,
    boolean allowCriticalSnooze) {

  /** The name of a pack's signature file, beside its manifest. */
  public static final String SIGNATURE = "pack.sig";

  /** The classpath resource that lists a jar's pack manifests. */
  public static final String INDEX = "META-INF/cds-engine/rule-packs";

  /** Packages of the JDK, the rule engine and this engine; see {@link #reservedPackage}. */
  private static final List<String> RESERVED_PACKAGES = List.of(
      "java", "javax", "jdk", "sun", "com.sun", "org.kie", "org.drools", "org.mvel2",
      "io.github.cdsengine.core");

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * Copies the lists and checks the fields.
   *
   * @param id the pack's stable id
   * @param version the pack's version
   * @param title a human-readable title
   * @param rules the DRL files
   * @param valueSets the value sets the pack ships
   * @param measures the quality measures whose populations the rules compute
   * @param valueSetNames names rules use for value sets, each bound to a canonical URL
   * @param services the CDS Hooks services the pack offers; empty offers the pack as one service
   * @param settings the switches the pack declares, with their defaults; names are unique
   * @param helperPackages the packages of Java helpers the pack's rules may call, each once
   * @param files the files the pack was loaded from, with their digests and signature; {@link
   *     PackFiles#none()} for a pack built in code
   * @param allowCriticalSnooze whether clinicians may snooze the pack's critical recommendations
   * @throws NullPointerException if any field is null
   * @throws IllegalArgumentException if two settings have the same name, or a helper package is
   *     not a package name, is named twice or is {@linkplain #reservedPackage reserved}
   */
  public RulePack {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(title, "title");
    rules = List.copyOf(rules);
    valueSets = List.copyOf(valueSets);
    measures = List.copyOf(measures);
    valueSetNames = Collections.unmodifiableMap(new TreeMap<>(valueSetNames));
    services = List.copyOf(services);
    settings = List.copyOf(settings);
    helperPackages = List.copyOf(helperPackages);
    Objects.requireNonNull(files, "files");
    Set<String> names = new java.util.HashSet<>();
    for (SettingDefinition setting : settings) {
      if (!names.add(setting.name())) {
        throw new IllegalArgumentException("pack '" + id + "' declares the setting '"
            + setting.name() + "' twice");
      }
    }
    Set<String> packages = new java.util.HashSet<>();
    for (String helperPackage : helperPackages) {
      requireHelperPackage(id, helperPackage);
      if (!packages.add(helperPackage)) {
        throw new IllegalArgumentException("pack '" + id + "' declares the helper package "
            + helperPackage + " twice");
      }
    }
  }

  /**
   * The reserved package that {@code packageName} is or lies inside, if any. Reserved are the
   * packages of the JDK, the rule engine and this engine ({@code java}, {@code javax}, {@code
   * jdk}, {@code sun}, {@code com.sun}, {@code org.kie}, {@code org.drools}, {@code org.mvel2},
   * {@code io.github.cdsengine.core}) and every package inside them: no rule set may claim one,
   * neither as a DRL file's own package nor as a pack's helper package.
   *
   * @param packageName a Java package name, e.g. {@code org.drools.example}; never null
   * @return the reserved package it is or lies in, or empty when it lies in none
   */
  public static java.util.Optional<String> reservedPackage(String packageName) {
    return RESERVED_PACKAGES.stream().filter(reserved -> packageName.equals(reserved)
        || packageName.startsWith(reserved + ".")).findFirst();
  }

  /**
   * Checks that {@code helperPackage} is a Java package name outside the reserved packages.
   *
   * @throws IllegalArgumentException quoting the name and saying why it is refused
   */
  private static void requireHelperPackage(String id, String helperPackage) {
    Objects.requireNonNull(helperPackage, "helperPackage");
    if (!isPackageName(helperPackage)) {
      throw new IllegalArgumentException("pack '" + id + "' declares the helper package '"
          + helperPackage + "', which is not a Java package name");
    }
    reservedPackage(helperPackage).ifPresent(reserved -> {
      throw new IllegalArgumentException("pack '" + id + "' declares the helper package "
          + helperPackage + ", which is reserved: " + reserved + " and the packages inside it "
          + "belong to the JDK, the rule engine or this engine; a pack's helpers live in its own "
          + "package");
    });
  }

  /** Whether {@code name} is dotted Java identifiers, such as {@code io.github.example}. */
  private static boolean isPackageName(String name) {
    for (String part : name.split("\\.", -1)) {
      if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))
          || !part.chars().allMatch(Character::isJavaIdentifierPart)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The setting named {@code name}, if the pack declares one.
   *
   * @param name the setting's name
   * @return the setting, or empty if the pack declares none by that name
   */
  public java.util.Optional<SettingDefinition> setting(String name) {
    return settings.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /**
   * The setting named {@code name}.
   *
   * @param name the setting's name
   * @return the setting
   * @throws IllegalArgumentException naming the pack's settings if it declares none by that name
   */
  public SettingDefinition requireSetting(String name) {
    return setting(name).orElseThrow(() -> new IllegalArgumentException("rule pack '" + id
        + "' has no setting '" + name + "'; its settings: "
        + settings.stream().map(SettingDefinition::name).toList()));
  }

  /**
   * A pack of rules and the value sets they use, with no measures or value-set names.
   *
   * @param id the pack's stable id
   * @param version the pack's version
   * @param title a human-readable title
   * @param rules the DRL files
   * @param valueSets the value sets the pack ships
   */
  public RulePack(String id, String version, String title, List<RuleFile> rules,
      List<ValueSet> valueSets) {
    this(id, version, title, rules, valueSets, List.of(), Map.of(), List.of(), List.of(),
        List.of(), PackFiles.none(), false);
  }

  /**
   * Starts a pack with no rules, value sets, measures, value-set names, services, settings or
   * helper packages.
   *
   * @param id the pack's stable id
   * @param version the pack's version
   * @param title a human-readable title
   * @return a builder holding only these three; {@link Builder#build()} checks them
   */
  public static Builder builder(String id, String version, String title) {
    return new Builder(id, version, title);
  }

  /**
   * Every pack listed in the {@value #INDEX} resources visible to {@code classLoader}, sorted by
   * id.
   *
   * @param classLoader the class loader whose resources are searched
   * @return the packs, sorted by id
   * @throws InvalidDataException if a manifest or a file it names is missing or malformed
   */
  public static List<RulePack> discover(ClassLoader classLoader) {
    Set<String> manifests = new LinkedHashSet<>();
    try {
      Enumeration<URL> indexes = classLoader.getResources(INDEX);
      while (indexes.hasMoreElements()) {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(indexes.nextElement().openStream(), StandardCharsets.UTF_8))) {
          reader.lines().map(String::strip)
              .filter(line -> !line.isEmpty() && !line.startsWith("#"))
              .forEach(manifests::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + INDEX, e);
    }
    List<RulePack> packs = new ArrayList<>();
    for (String manifest : manifests) {
      packs.add(load(manifest, classLoader));
    }
    packs.sort((a, b) -> a.id().compareTo(b.id()));
    return List.copyOf(packs);
  }

  /**
   * Loads the pack whose manifest is the classpath resource {@code manifest}.
   *
   * @param manifest the manifest's resource name
   * @param classLoader the class loader that finds it and the files it names
   * @return the pack
   * @throws InvalidDataException if the manifest or a file it names is missing or malformed
   */
  public static RulePack load(String manifest, ClassLoader classLoader) {
    String base = manifest.contains("/") ? manifest.substring(0, manifest.lastIndexOf('/') + 1) : "";
    java.util.SortedMap<String, String> digests = new TreeMap<>();
    JsonNode root;
    try {
      byte[] bytes = read(manifest, classLoader, manifest, "$");
      digests.put(relative(base, manifest), sha256(bytes));
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidDataException(manifest, "$", "not valid JSON: " + e.getMessage());
    }
    List<RuleFile> rules = new ArrayList<>();
    for (String path : strings(root, "rules", manifest)) {
      String resource = resolve(base, path, manifest);
      byte[] bytes = read(resource, classLoader, manifest, "$.rules");
      digests.put(relative(base, resource), sha256(bytes));
      rules.add(new RuleFile(resource, new String(bytes, StandardCharsets.UTF_8)));
    }
    List<ValueSet> valueSets = new ArrayList<>();
    for (String path : strings(root, "valueSets", manifest)) {
      String resource = resolve(base, path, manifest);
      byte[] bytes = read(resource, classLoader, manifest, "$.valueSets");
      digests.put(relative(base, resource), sha256(bytes));
      valueSets.add(ValueSetReader.read(new java.io.ByteArrayInputStream(bytes), resource));
    }
    List<SettingDefinition> settings = settings(root, manifest);
    List<String> helperPackages = helperPackages(root, manifest, base);
    RulePack loaded;
    try {
      loaded = new RulePack(text(root, "id", manifest), text(root, "version", manifest),
          text(root, "title", manifest), rules, valueSets, measures(root, manifest),
          valueSetNames(root, manifest), services(root, manifest), settings, helperPackages,
          PackFiles.none(), allowCriticalSnooze(root, manifest));
    } catch (IllegalArgumentException e) {
      throw new InvalidDataException(manifest, "$.settings", e.getMessage());
    }
    String signature = null;
    try (InputStream in = classLoader.getResourceAsStream(base + SIGNATURE)) {
      if (in != null) {
        signature = new String(in.readNBytes(MAX_SIGNATURE_BYTES + 1), StandardCharsets.UTF_8)
            .strip();
      }
    } catch (IOException e) {
      throw new InvalidDataException(manifest, "$", "cannot read " + base + SIGNATURE);
    }
    PackFiles files = new PackFiles(manifest, folder(manifest, base, classLoader), digests,
        signature, loaded);
    return new RulePack(loaded.id(), loaded.version(), loaded.title(), loaded.rules(),
        loaded.valueSets(), loaded.measures(), loaded.valueSetNames(), loaded.services(),
        loaded.settings(), loaded.helperPackages(), files, loaded.allowCriticalSnooze());
  }

  /** The manifest's {@code allowCriticalSnooze}: {@code false} when absent. */
  private static boolean allowCriticalSnooze(JsonNode root, String manifest) {
    JsonNode value = root.get("allowCriticalSnooze");
    if (value == null) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new InvalidDataException(manifest, "$.allowCriticalSnooze",
          "true or false is required, not " + value);
    }
    return value.asBoolean();
  }

  /** The longest {@value #SIGNATURE} read; a longer one is refused as malformed when checked. */
  static final int MAX_SIGNATURE_BYTES = 16 * 1024;

  /** The bytes of the resource {@code resource}, which the manifest names at {@code field}. */
  private static byte[] read(String resource, ClassLoader classLoader, String manifest,
      String field) {
    try (InputStream in = open(resource, classLoader, manifest)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new InvalidDataException(manifest, field, "cannot read " + resource);
    }
  }

  /** The SHA-256 of {@code bytes} in lower-case hex. */
  static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The path of {@code resource} relative to the folder {@code base} ({@code ../common/x.drl}). */
  private static String relative(String base, String resource) {
    List<String> from = base.isEmpty() ? List.of() : List.of(base.split("/"));
    List<String> to = List.of(resource.split("/"));
    int common = 0;
    while (common < from.size() && common < to.size() - 1
        && from.get(common).equals(to.get(common))) {
      common++;
    }
    List<String> path = new ArrayList<>();
    for (int i = common; i < from.size(); i++) {
      path.add("..");
    }
    path.addAll(to.subList(common, to.size()));
    return String.join("/", path);
  }

  /**
   * The manifest's folder for messages: its file-system path when the class loader reads it
   * from a folder, else its resource folder.
   */
  private static String folder(String manifest, String base, ClassLoader classLoader) {
    URL url = classLoader.getResource(manifest);
    if (url != null && url.getProtocol().equals("file")) {
      try {
        java.nio.file.Path parent = java.nio.file.Path.of(url.toURI()).getParent();
        if (parent != null) {
          return parent.toString().replace(java.io.File.separatorChar, '/') + "/";
        }
      } catch (java.net.URISyntaxException | IllegalArgumentException e) {
        return base;
      }
    }
    return base;
  }

  /**
   * The manifest's helper packages, each checked to be the pack's own: the package of the
   * manifest's directory {@code base}, or one inside it, and not reserved.
   */
  private static List<String> helperPackages(JsonNode root, String manifest, String base) {
    JsonNode array = root.get("helperPackages");
    if (array == null) {
      return List.of();
    }
    if (!array.isArray()) {
      throw new InvalidDataException(manifest, "$.helperPackages",
          "expected an array of package names");
    }
    String namespace = base.isEmpty() ? "" : base.substring(0, base.length() - 1).replace('/', '.');
    List<String> packages = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String path = "$.helperPackages[" + i + "]";
      if (!array.get(i).isTextual()) {
        throw new InvalidDataException(manifest, path, "expected a package name");
      }
      String helperPackage = array.get(i).asText();
      try {
        requireHelperPackage(text(root, "id", manifest), helperPackage);
      } catch (IllegalArgumentException e) {
        throw new InvalidDataException(manifest, path, e.getMessage());
      }
      if (namespace.isEmpty() || !isPackageName(namespace)
          || !(helperPackage.equals(namespace) || helperPackage.startsWith(namespace + "."))) {
        throw new InvalidDataException(manifest, path, "the helper package " + helperPackage
            + " is not the pack's own: a pack may declare the package of its manifest's "
            + "directory and packages inside it, "
            + (namespace.isEmpty() ? "and this manifest is at the class path's root"
                : isPackageName(namespace) ? "here " + namespace
                : "and this manifest's directory " + base + " is no Java package"));
      }
      if (packages.contains(helperPackage)) {
        throw new InvalidDataException(manifest, path, "the helper package " + helperPackage
            + " is declared twice");
      }
      packages.add(helperPackage);
    }
    return packages;
  }

  private static List<SettingDefinition> settings(JsonNode root, String manifest) {
    JsonNode array = root.get("settings");
    if (array == null) {
      return List.of();
    }
    if (!array.isArray()) {
      throw new InvalidDataException(manifest, "$.settings", "expected an array of settings");
    }
    List<SettingDefinition> settings = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode setting = array.get(i);
      String path = "$.settings[" + i + "]";
      if (!setting.isObject()) {
        throw new InvalidDataException(manifest, path, "expected an object");
      }
      JsonNode defaultValue = setting.get("default");
      if (defaultValue == null || !defaultValue.isBoolean()) {
        throw new InvalidDataException(manifest, path + ".default",
            "true or false is required, not " + defaultValue);
      }
      try {
        settings.add(new SettingDefinition(text(setting, "name", manifest),
            defaultValue.asBoolean(), text(setting, "description", manifest),
            text(setting, "source", manifest)));
      } catch (IllegalArgumentException e) {
        throw new InvalidDataException(manifest, path, e.getMessage());
      }
    }
    return settings;
  }

  /** {@code path} relative to the directory {@code base}, with {@code .} and {@code ..} resolved. */
  private static String resolve(String base, String path, String manifest) {
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : (base + path).split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (segments.isEmpty()) {
          throw new InvalidDataException(manifest, "$", "path " + path
              + " leaves the classpath root");
        }
        segments.removeLast();
      } else {
        segments.addLast(segment);
      }
    }
    return String.join("/", segments);
  }

  private static List<MeasureDefinition> measures(JsonNode root, String manifest) {
    JsonNode array = root.get("measures");
    if (array == null) {
      return List.of();
    }
    if (!array.isArray()) {
      throw new InvalidDataException(manifest, "$.measures", "expected an array of measures");
    }
    List<MeasureDefinition> measures = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode measure = array.get(i);
      String path = "$.measures[" + i + "]";
      JsonNode groups = measure.get("groups");
      if (groups == null || !groups.isInt()) {
        throw new InvalidDataException(manifest, path + ".groups", "an integer is required");
      }
      String improvement = text(measure, "improvement", manifest);
      if (!improvement.equals("increase") && !improvement.equals("decrease")) {
        throw new InvalidDataException(manifest, path + ".improvement",
            "expected 'increase' or 'decrease', not '" + improvement + "'");
      }
      try {
        measures.add(new MeasureDefinition(text(measure, "id", manifest),
            text(measure, "title", manifest), text(measure, "version", manifest),
            text(measure, "url", manifest), groups.asInt(),
            MeasureDefinition.Improvement.valueOf(improvement.toUpperCase(Locale.ROOT))));
      } catch (IllegalArgumentException e) {
        throw new InvalidDataException(manifest, path, e.getMessage());
      }
    }
    return measures;
  }

  private static List<ServiceDefinition> services(JsonNode root, String manifest) {
    JsonNode array = root.get("services");
    if (array == null) {
      return List.of();
    }
    if (!array.isArray()) {
      throw new InvalidDataException(manifest, "$.services", "expected an array of services");
    }
    List<ServiceDefinition> services = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode service = array.get(i);
      String path = "$.services[" + i + "]";
      if (!service.isObject()) {
        throw new InvalidDataException(manifest, path, "expected an object");
      }
      List<String> recommendations = strings(service, "recommendations", manifest);
      Map<String, String> prefetch = prefetch(service, manifest, path);
      try {
        services.add(new ServiceDefinition(text(service, "id", manifest),
            text(service, "hook", manifest), text(service, "title", manifest),
            text(service, "description", manifest), recommendations, prefetch));
      } catch (IllegalArgumentException e) {
        throw new InvalidDataException(manifest, path, e.getMessage());
      }
    }
    return services;
  }

  /** A service's {@code prefetch} templates by key, in manifest order; none when absent. */
  private static Map<String, String> prefetch(JsonNode service, String manifest, String path) {
    JsonNode templates = service.get("prefetch");
    if (templates == null) {
      return Map.of();
    }
    if (!templates.isObject()) {
      throw new InvalidDataException(manifest, path + ".prefetch",
          "expected an object from prefetch keys to FHIR query templates");
    }
    Map<String, String> prefetch = new LinkedHashMap<>();
    templates.fields().forEachRemaining(entry -> {
      if (!entry.getValue().isTextual()) {
        throw new InvalidDataException(manifest, path + ".prefetch['" + entry.getKey() + "']",
            "expected a FHIR query template string");
      }
      prefetch.put(entry.getKey(), entry.getValue().asText());
    });
    return prefetch;
  }

  private static Map<String, String> valueSetNames(JsonNode root, String manifest) {
    JsonNode names = root.get("valueSetNames");
    if (names == null) {
      return Map.of();
    }
    if (!names.isObject()) {
      throw new InvalidDataException(manifest, "$.valueSetNames",
          "expected an object from names to value set URLs");
    }
    Map<String, String> bound = new TreeMap<>();
    names.fields().forEachRemaining(entry -> {
      if (!entry.getValue().isTextual() || entry.getValue().asText().isBlank()) {
        throw new InvalidDataException(manifest, "$.valueSetNames['" + entry.getKey() + "']",
            "expected a value set URL");
      }
      bound.put(entry.getKey(), entry.getValue().asText());
    });
    return bound;
  }

  private static InputStream open(String resource, ClassLoader classLoader, String manifest) {
    InputStream in = classLoader.getResourceAsStream(resource);
    if (in == null) {
      throw new InvalidDataException(manifest, "$", "no classpath resource " + resource);
    }
    return in;
  }

  private static String text(JsonNode root, String field, String manifest) {
    JsonNode value = root.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new InvalidDataException(manifest, "$." + field, "a non-empty string is required");
    }
    return value.asText();
  }

  private static List<String> strings(JsonNode root, String field, String manifest) {
    JsonNode array = root.get(field);
    if (array == null) {
      return List.of();
    }
    if (!array.isArray()) {
      throw new InvalidDataException(manifest, "$." + field, "expected an array of paths");
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!array.get(i).isTextual()) {
        throw new InvalidDataException(manifest, "$." + field + "[" + i + "]", "expected a path");
      }
      values.add(array.get(i).asText());
    }
    return values;
  }

  /**
   * Collects the contents of a pack besides its id, version and title; each list or map not set
   * stays empty. Not thread-safe.
   */
  public static final class Builder {
    private final String id;
    private final String version;
    private final String title;
    private List<RuleFile> rules = List.of();
    private List<ValueSet> valueSets = List.of();
    private List<MeasureDefinition> measures = List.of();
    private Map<String, String> valueSetNames = Map.of();
    private List<ServiceDefinition> services = List.of();
    private List<SettingDefinition> settings = List.of();
    private List<String> helperPackages = List.of();
    private boolean allowCriticalSnooze;

    private Builder(String id, String version, String title) {
      this.id = id;
      this.version = version;
      this.title = title;
    }

    /**
     * Sets the DRL files.
     *
     * @param rules the rule files; never null
     * @return this builder
     */
    public Builder rules(List<RuleFile> rules) {
      this.rules = rules;
      return this;
    }

    /**
     * Sets the value sets the pack ships.
     *
     * @param valueSets the value sets; never null
     * @return this builder
     */
    public Builder valueSets(List<ValueSet> valueSets) {
      this.valueSets = valueSets;
      return this;
    }

    /**
     * Sets the quality measures whose populations the rules compute.
     *
     * @param measures the measures; never null
     * @return this builder
     */
    public Builder measures(List<MeasureDefinition> measures) {
      this.measures = measures;
      return this;
    }

    /**
     * Sets the names rules use for value sets.
     *
     * @param valueSetNames each name bound to a canonical URL; never null
     * @return this builder
     */
    public Builder valueSetNames(Map<String, String> valueSetNames) {
      this.valueSetNames = valueSetNames;
      return this;
    }

    /**
     * Sets the CDS Hooks services the pack offers.
     *
     * @param services the services; empty offers the pack as one service; never null
     * @return this builder
     */
    public Builder services(List<ServiceDefinition> services) {
      this.services = services;
      return this;
    }

    /**
     * Sets the switches the pack declares, with their defaults.
     *
     * @param settings the settings, with unique names; never null
     * @return this builder
     */
    public Builder settings(List<SettingDefinition> settings) {
      this.settings = settings;
      return this;
    }

    /**
     * Sets the packages of Java helpers the pack's rules may call.
     *
     * @param helperPackages the package names, each once; never null
     * @return this builder
     */
    public Builder helperPackages(List<String> helperPackages) {
      this.helperPackages = helperPackages;
      return this;
    }

    /**
     * Sets whether clinicians may snooze the pack's critical recommendations; {@code false}
     * unless set.
     *
     * @param allowCriticalSnooze {@code true} to allow snoozing its critical recommendations
     * @return this builder
     */
    public Builder allowCriticalSnooze(boolean allowCriticalSnooze) {
      this.allowCriticalSnooze = allowCriticalSnooze;
      return this;
    }

    /**
     * The pack, checked as the canonical constructor checks it.
     *
     * @return a new pack with what this builder holds
     * @throws NullPointerException if any field is null
     * @throws IllegalArgumentException if two settings have the same name, or a helper package
     *     is not a package name, is named twice or is {@linkplain RulePack#reservedPackage reserved}
     */
    public RulePack build() {
      return new RulePack(id, version, title, rules, valueSets, measures, valueSetNames,
          services, settings, helperPackages, PackFiles.none(), allowCriticalSnooze);
    }
  }
}
