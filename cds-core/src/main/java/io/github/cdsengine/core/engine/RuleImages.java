package io.github.cdsengine.core.engine;

import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.drools.base.common.DroolsObjectInputStream;
import org.drools.base.common.DroolsObjectOutputStream;
import org.drools.base.definitions.InternalKnowledgePackage;
import org.drools.base.rule.TypeDeclaration;
import org.drools.core.rule.JavaDialectRuntimeData;
import org.drools.util.ClassUtils;
import org.drools.wiring.api.classloader.ProjectClassLoader;
import org.kie.api.definition.KiePackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule images: a rule set's Drools packages compiled once, when a jar of rule packs is built, and
 * read back when an engine is built from exactly the same rule files, instead of parsing and
 * compiling the DRL again. Compiling the rules is most of a cold start (the JVM loads and
 * compiles Drools' compiler and the Java compiler it drives); reading an image skips both.
 *
 * <p><b>What an image stands for.</b> An image is named by its key: the SHA-256 of the image
 * format, the Drools version, this engine's build, and every rule file's name, text and allowed
 * helper packages, in the order the engine adds them. An engine uses an image only when the key
 * of the files it is given equals the image's key, so an image is never used for other rules, for
 * the same rules in another order, or with another Drools or another build of this engine.
 *
 * <p><b>Where images are read from, and why that is safe.</b> Only from the class path
 * ({@value #FOLDER}), beside the code a host already runs: an image holds compiled rule code, so
 * it is trusted exactly as much as a class on the class path. The rule policy was checked on the
 * files when the image was written (an image of refused files cannot be written), so a build
 * from an image does not check it again; packs and files from directories, and any combination
 * no image was written for, are compiled from source and checked as always. The packages' object
 * graph is restricted to the classes of Drools, MVEL, the JDK and this engine and bounded in
 * size; an image also holds the rules' compiled Java code (and Drools reads a package's class
 * store through a stream of its own), so the restriction guards against a damaged image, not a
 * hostile one: only what may be put on the class path may be an image.
 *
 * <p>An image that cannot be read (truncated, from another format) is reported in the log at
 * WARN and the rules are compiled from source: the engine built is the same either way.
 */
public final class RuleImages {

  private static final Logger LOG = LoggerFactory.getLogger(DroolsEngine.LOGGER_NAME);

  /** The class-path folder images are read from, and written to in a build's output. */
  public static final String FOLDER = "META-INF/cds-engine/rule-images/";

  private static final String FORMAT = "cds-rule-image/3";
  private static final String UNKNOWN = "unknown";
  private static final String BUILD_RESOURCE = "io/github/cdsengine/core/engine/build.properties";
  private static final String DROOLS_RESOURCE = "drools.versions.properties";

  /**
   * The classes an image may hold, and how large its graph may be (a shipped image is a few MiB:
   * arrays of at most a few MiB, well under a million objects); anything else is refused while
   * reading, before an array is allocated. The limits hold for the packages' own objects: the
   * class store of a package (JavaDialectRuntimeData) is read by Drools through a stream of its
   * own, which this filter does not see, so an image is trusted as much as a class on the class
   * path, not more.
   */
  private static final ObjectInputFilter CLASSES = ObjectInputFilter.Config.createFilter(
      "maxdepth=200;maxarray=16777216;maxrefs=10000000;maxbytes=268435456;"
          + "java.**;org.drools.**;org.kie.**;org.mvel2.**;io.github.cdsengine.**;!*");

  private static final String ENGINE_BUILD = resourceProperty(RuleImages.class.getClassLoader(),
      BUILD_RESOURCE, "build");
  // drools-core carries drools.versions.properties (kie-api does not): read through its loader.
  private static final String DROOLS_VERSION = resourceProperty(
      JavaDialectRuntimeData.class.getClassLoader(), DROOLS_RESOURCE, "drools.version");

  private static final int MAX_DECLARED_TYPES = 10_000;
  private static final int MAX_CLASS_BYTES = 1 << 20;

  private final ClassLoader classLoader;
  private final String engineBuild;
  private final String droolsVersion;

  private RuleImages(ClassLoader classLoader, String engineBuild, String droolsVersion) {
    this.classLoader = classLoader;
    this.engineBuild = engineBuild;
    this.droolsVersion = droolsVersion;
  }

  /** No images: every build compiles its rules from source. */
  public static RuleImages none() {
    return new RuleImages(null, ENGINE_BUILD, DROOLS_VERSION);
  }

  /**
   * Images on the class path of {@code classLoader}, under {@value #FOLDER}.
   *
   * @param classLoader the class loader whose resources hold the images; it must also load the
   *     packs' helper classes
   * @return the images
   */
  public static RuleImages onClassPath(ClassLoader classLoader) {
    return onClassPath(classLoader, ENGINE_BUILD, DROOLS_VERSION);
  }

  /**
   * Images on the class path of {@code classLoader}, looked up as an engine of build {@code
   * engineBuild} running on Drools {@code droolsVersion} would ({@value #UNKNOWN} when not known).
   */
  static RuleImages onClassPath(ClassLoader classLoader, String engineBuild,
      String droolsVersion) {
    return new RuleImages(java.util.Objects.requireNonNull(classLoader, "classLoader"),
        engineBuild, droolsVersion);
  }

  /** This engine's build, as build.properties names it; {@value #UNKNOWN} when it does not. */
  static String engineBuild() {
    return ENGINE_BUILD;
  }

  /** The Drools version drools-core names; {@value #UNKNOWN} when it does not. */
  static String droolsVersion() {
    return DROOLS_VERSION;
  }

  /**
   * Whether an image can be told apart from another build's: without the engine build or the
   * Drools version the key could be the same for an image that Drools or the engine cannot read.
   */
  private static boolean identified(String engineBuild, String droolsVersion) {
    return !UNKNOWN.equals(engineBuild) && !UNKNOWN.equals(droolsVersion);
  }

  /** Whether images are looked up at all. */
  boolean enabled() {
    return classLoader != null && identified(engineBuild, droolsVersion);
  }

  /** The class loader images are read with; null when {@link #none()}. */
  ClassLoader classLoader() {
    return classLoader;
  }

  /**
   * The rule files of {@code packs}, each once, in the order an engine adds them, with the helper
   * packages each may call (the union over the packs that carry it).
   *
   * @param packs the packs, in the order they are added
   * @return the files and their helper packages
   */
  static Map<RuleFile, Set<String>> filesOf(List<RulePack> packs) {
    Map<RuleFile, Set<String>> files = new LinkedHashMap<>();
    for (RulePack pack : packs) {
      for (RuleFile file : pack.rules()) {
        files.computeIfAbsent(file, f -> new TreeSet<>()).addAll(pack.helperPackages());
      }
    }
    return files;
  }

  /**
   * The key of an image of {@code files}: see the class description.
   *
   * @param files the rule files in the order they are compiled
   * @param helperPackages each file's helper packages (a file not in the map has none)
   * @return 64 lower-case hex digits
   */
  static String key(List<RuleFile> files, Map<RuleFile, Set<String>> helperPackages) {
    return key(ENGINE_BUILD, DROOLS_VERSION, files, helperPackages);
  }

  /** The key of an image of {@code files} for this look-up's engine build and Drools version. */
  String keyOf(List<RuleFile> files, Map<RuleFile, Set<String>> helperPackages) {
    return key(engineBuild, droolsVersion, files, helperPackages);
  }

  private static String key(String engineBuild, String droolsVersion, List<RuleFile> files,
      Map<RuleFile, Set<String>> helperPackages) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    update(digest, FORMAT);
    update(digest, droolsVersion);
    update(digest, engineBuild);
    for (RuleFile file : files) {
      update(digest, file.name());
      update(digest, file.content());
      update(digest, String.join(",", new TreeSet<>(helperPackages.getOrDefault(file, Set.of()))));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Adds {@code text} with its length, so that no two lists of texts digest alike. */
  private static void update(MessageDigest digest, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    digest.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
    digest.update(bytes);
  }

  /**
   * The image with {@code key}, if the class path has one and it reads.
   *
   * @param key the key of the files to build
   * @return the image; empty when there is none, or when it does not read (logged at WARN)
   */
  Optional<Image> find(String key) {
    if (!enabled()) {
      // Without the identity of its engine build and Drools an image could be another build's:
      // never used.
      return Optional.empty();
    }
    String resource = FOLDER + key + ".bin";
    try (InputStream in = classLoader.getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(read(in, key, classLoader));
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      LOG.warn("Rule image {} does not read ({}); compiling the rules from source", resource,
          e.toString());
      return Optional.empty();
    }
  }

  /**
   * What an image holds: Drools' packages, and what the build learned of the files that the
   * engine needs again.
   *
   * @param packages the compiled packages
   * @param rulesOnInitialTuple whether some rule's first condition is not a fact pattern
   * @param classLoader the class loader that holds the declared types, for the rule base
   */
  record Image(List<KiePackage> packages, boolean rulesOnInitialTuple,
      ClassLoader classLoader) {}

  @SuppressWarnings("unchecked")
  private static Image read(InputStream in, String key, ClassLoader classLoader)
      throws IOException, ClassNotFoundException {
    DataInputStream data = new DataInputStream(in);
    String format = data.readUTF();
    String written = data.readUTF();
    if (!FORMAT.equals(format) || !key.equals(written)) {
      throw new IOException("format " + format + " and key " + written + " are not "
          + FORMAT + " and " + key);
    }
    boolean initialTuple = data.readBoolean();
    // The rules' declared types, stored in a class loader of their own before the packages are
    // read: the packages name them, and the rule base made from the packages defines them there.
    ProjectClassLoader types = ProjectClassLoader.createProjectClassLoader(classLoader);
    int count = data.readInt();
    if (count < 0 || count > MAX_DECLARED_TYPES) {
      throw new IOException(count + " declared types");
    }
    for (int i = 0; i < count; i++) {
      String name = data.readUTF();
      int length = data.readInt();
      if (length < 0 || length > MAX_CLASS_BYTES) {
        throw new IOException("declared type " + name + " of " + length + " bytes");
      }
      types.storeClass(name, ClassUtils.convertClassToResourcePath(name),
          data.readNBytes(length));
    }
    try (ObjectInputStream objects = new DroolsObjectInputStream(data, types)) {
      objects.setObjectInputFilter(CLASSES);
      List<KiePackage> packages = (List<KiePackage>) objects.readObject();
      for (KiePackage kiePackage : packages) {
        checkCompiledCode(kiePackage);
      }
      return new Image(List.copyOf(packages), initialTuple, types);
    }
  }

  /**
   * Refuses a package whose compiled Java code lacks a class of one of its invokers
   * (consequences, evals, predicates, accumulators, functions): Drools wires an invoker only when
   * its class is there, and one left unwired fails each evaluation that reaches it, not the
   * build.
   */
  private static void checkCompiledCode(KiePackage kiePackage) throws IOException {
    if (!(kiePackage instanceof InternalKnowledgePackage internal)) {
      throw new IOException("package " + kiePackage.getName() + " is a "
          + kiePackage.getClass().getName());
    }
    if (!(internal.getDialectRuntimeRegistry().getDialectData("java")
        instanceof JavaDialectRuntimeData java)) {
      return;
    }
    Map<String, ?> invokers;
    try {
      java.lang.reflect.Field field = JavaDialectRuntimeData.class
          .getDeclaredField("invokerLookups");
      field.setAccessible(true);
      invokers = (Map<String, ?>) field.get(java);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IOException("the invokers of package " + kiePackage.getName()
          + " cannot be checked with this Drools (" + e + ")", e);
    }
    for (String invoker : invokers.keySet()) {
      if (java.getStore().get(ClassUtils.convertClassToResourcePath(invoker)) == null) {
        throw new IOException("package " + kiePackage.getName() + " has no class " + invoker);
      }
    }
  }

  /**
   * The class bytes of every type the packages' rule files declare ({@code declare}), by class
   * name; a declaration of an existing class adds none.
   */
  private static Map<String, byte[]> declaredTypes(Collection<KiePackage> packages) {
    Map<String, byte[]> types = new java.util.TreeMap<>();
    for (KiePackage kiePackage : packages) {
      InternalKnowledgePackage internal = (InternalKnowledgePackage) kiePackage;
      JavaDialectRuntimeData java = (JavaDialectRuntimeData)
          internal.getDialectRuntimeRegistry().getDialectData("java");
      for (TypeDeclaration declaration : internal.getTypeDeclarations().values()) {
        String name = declaration.getTypeClassName();
        byte[] bytes = java == null ? null
            : java.getClassDefinition(ClassUtils.convertClassToResourcePath(name));
        if (bytes != null) {
          types.put(name, bytes);
        }
      }
    }
    return types;
  }

  /**
   * Compiles {@code packs} together, as an engine given them in this order does, and writes the
   * image into {@code folder}'s {@value #FOLDER}. For the build of a jar of rule packs; the rule
   * policy is checked first and a refused or broken rule set writes nothing.
   *
   * @param packs the packs, in the order an engine is given them
   * @param folder the build's output folder (its class-path root)
   * @return the file written
   * @throws io.github.cdsengine.core.problem.RuleSetException if the rules are refused or do not
   *     compile
   * @throws UncheckedIOException if the file cannot be written
   */
  public static Path write(List<RulePack> packs, Path folder) {
    return write(packs, folder, ENGINE_BUILD, DROOLS_VERSION);
  }

  /** {@link #write(List, Path)} as an engine of build {@code engineBuild} on that Drools would. */
  static Path write(List<RulePack> packs, Path folder, String engineBuild,
      String droolsVersion) {
    if (!identified(engineBuild, droolsVersion)) {
      throw new IllegalStateException("The engine build (" + BUILD_RESOURCE + ": "
          + engineBuild + ") or the Drools version (" + DROOLS_RESOURCE + ": " + droolsVersion
          + ") is not known: an image written without both could be read by another build");
    }
    Map<RuleFile, Set<String>> files = filesOf(packs);
    List<RuleFile> list = new ArrayList<>(files.keySet());
    String key = key(engineBuild, droolsVersion, list, files);
    RuleBaseCompiler.ForImage compiled = RuleBaseCompiler.compileForImage(list, files);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream data = new DataOutputStream(bytes)) {
      data.writeUTF(FORMAT);
      data.writeUTF(key);
      data.writeBoolean(compiled.rulesOnInitialTuple());
      Collection<KiePackage> packages = compiled.packages();
      Map<String, byte[]> types = declaredTypes(packages);
      data.writeInt(types.size());
      for (Map.Entry<String, byte[]> type : types.entrySet()) {
        data.writeUTF(type.getKey());
        data.writeInt(type.getValue().length);
        data.write(type.getValue());
      }
      try (ObjectOutputStream objects = new DroolsObjectOutputStream(data)) {
        objects.writeObject(new ArrayList<>(packages));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path target = folder.resolve(FOLDER).resolve(key + ".bin");
    try {
      Files.createDirectories(target.getParent());
      Files.write(target, bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
    return target;
  }

  /** A property of a class-path properties file; {@value #UNKNOWN} when it is not there. */
  private static String resourceProperty(ClassLoader classLoader, String resource, String name) {
    ClassLoader loader = classLoader != null ? classLoader : ClassLoader.getSystemClassLoader();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        return UNKNOWN;
      }
      Properties properties = new Properties();
      properties.load(in);
      String value = properties.getProperty(name, UNKNOWN).strip();
      return value.isEmpty() || value.contains("${") ? UNKNOWN : value;
    } catch (IOException e) {
      return UNKNOWN;
    }
  }
}
