package io.github.cdsengine.core.engine;

import static io.github.cdsengine.core.testing.TestRules.file;
import static io.github.cdsengine.core.testing.TestRules.recommending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.fasterxml.jackson.databind.node.TextNode;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.problem.RuleSetException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule images: written for exactly a list of rule files, read back only for exactly those files,
 * giving the same engine as compiling them; anything that does not read is compiled instead.
 */
class RuleImagesTest {

  private static final EvaluationContext AT =
      EvaluationContext.at(Instant.parse("2025-01-15T12:00:00Z"), java.time.ZoneOffset.UTC);

  @TempDir
  Path folder;

  private final List<URLClassLoader> loaders = new ArrayList<>();

  @AfterEach
  void closeLoaders() throws IOException {
    for (URLClassLoader loader : loaders) {
      loader.close();
    }
  }

  private static RulePack pack(String id, String title, List<String> helpers) {
    RuleFile rules = file(id + ".drl",
        recommending("Adult " + id, id + "-adult", "USPSTF:A", "screening", "info",
            "    PatientAge(years >= 18)", title),
        recommending("Senior " + id, id + "-senior", "USPSTF:B", "screening", "warning",
            "    PatientAge(years >= 65)", "senior " + title));
    return RulePack.builder(id, "1", "Pack " + id).rules(List.of(rules))
        .helperPackages(helpers).build();
  }

  private static RulePack pack(String id) {
    return pack(id, "adult", List.of());
  }

  /** The images written into the temporary folder, as a class path. */
  private RuleImages images() throws IOException {
    URLClassLoader loader = new URLClassLoader(new URL[] {folder.toUri().toURL()},
        RuleImagesTest.class.getClassLoader());
    loaders.add(loader);
    return RuleImages.onClassPath(loader);
  }

  private static List<List<Recommendation>> evaluate(CdsEngine engine) {
    List<List<Recommendation>> out = new ArrayList<>();
    for (LocalDate birth : List.of(LocalDate.of(1950, 1, 1), LocalDate.of(1990, 1, 1),
        LocalDate.of(2010, 1, 1))) {
      EvaluationResult result = engine.evaluate(
          PatientRecord.builder(new Patient("p-" + birth, birth, null)).build(), AT);
      assertThat(result.failures()).isEmpty();
      out.add(result.recommendations());
    }
    return out;
  }

  private static CdsEngine build(RuleImages images, RulePack... packs) {
    CdsEngine.Builder builder = CdsEngine.builder().ruleImages(images);
    for (RulePack pack : packs) {
      builder.addRulePack(pack);
    }
    return builder.build();
  }

  /** The image under {@code key} does not read, and pack a's engine is compiled instead. */
  private void assertSetAsideAndCompiled(String key) throws IOException {
    assertThat(images().find(key)).isEmpty();
    try (CdsEngine engine = build(images(), pack("a"))) {
      assertThat(engine.fromRuleImage()).isFalse();
      assertThat(evaluate(engine).get(0)).hasSize(2);
    }
  }

  @Test
  void anEngineFromAnImageEvaluatesAsOneCompiledFromSource() throws IOException {
    Path written = RuleImages.write(List.of(pack("a"), pack("b")), folder);
    assertThat(written).startsWith(folder.resolve(RuleImages.FOLDER)).isRegularFile();
    try (CdsEngine fromImage = build(images(), pack("a"), pack("b"));
        CdsEngine compiled = build(RuleImages.none(), pack("a"), pack("b"))) {
      assertThat(fromImage.fromRuleImage()).isTrue();
      assertThat(compiled.fromRuleImage()).isFalse();
      assertThat(fromImage.rules()).isEqualTo(compiled.rules());
      assertThat(fromImage.ruleSet()).isEqualTo(compiled.ruleSet());
      List<List<Recommendation>> expected = evaluate(compiled);
      assertThat(expected.get(0)).hasSize(4);
      assertThat(evaluate(fromImage)).isEqualTo(expected);
    }
  }

  @Test
  void anImageIsReadOnlyForExactlyTheFilesItWasWrittenFor() throws IOException {
    RuleImages.write(List.of(pack("a"), pack("b")), folder);
    RuleImages images = images();
    // The same packs in the other order, one of them, one character changed, other helpers.
    try (CdsEngine reversed = build(images, pack("b"), pack("a"));
        CdsEngine one = build(images, pack("a"));
        CdsEngine changed = build(images, pack("a", "adulT", List.of()), pack("b"));
        CdsEngine helpers = build(images, pack("a", "adult", List.of("org.example.help")),
            pack("b"))) {
      assertThat(reversed.fromRuleImage()).isFalse();
      assertThat(one.fromRuleImage()).isFalse();
      assertThat(changed.fromRuleImage()).isFalse();
      assertThat(helpers.fromRuleImage()).isFalse();
      assertThat(evaluate(changed).get(0)).extracting(Recommendation::detail)
          .contains("adulT");
    }
  }

  /** A pack whose rules declare a type, insert it and match it. */
  private static RulePack declaring() {
    String declared = """

        declare AdultMark
            age : int
        end

        query adultMarks()
            $mark : AdultMark()
        end

        """;
    RuleFile rules = file("declared.drl", declared
        + io.github.cdsengine.core.testing.TestRules.supporting("Mark adults",
            "    PatientAge(years >= 18, $years : years)",
            "    insert(new AdultMark($years));")
        + recommending("Marked adult", "marked", "USPSTF:A", "screening", "info",
            "    AdultMark(age >= 60)", "marked")
        // Patterns after an accumulate, an exists and a not: a rule base indexes each pattern's
        // place in the rule, which an image must not carry twice.
        + recommending("Counted", "counted", "USPSTF:A", "screening", "info",
            "    $age : PatientAge(years >= 18)\n"
                + "    $n : Number(intValue == 0) from accumulate(Procedure(), count(1))\n"
                + "    exists Patient()\n"
                + "    not Condition()\n"
                + "    $mark : AdultMark(age == $age.years())", "counted"));
    return RulePack.builder("declaring", "1", "Declaring").rules(List.of(rules)).build();
  }

  @Test
  void anImageOfRulesThatDeclareTypesReadsAndEvaluatesAsCompiled() throws IOException {
    RuleImages.write(List.of(declaring()), folder);
    try (CdsEngine fromImage = build(images(), declaring());
        CdsEngine compiled = build(RuleImages.none(), declaring())) {
      assertThat(fromImage.fromRuleImage()).isTrue();
      List<List<Recommendation>> expected = evaluate(compiled);
      assertThat(expected.get(0)).extracting(Recommendation::id)
          .containsExactlyInAnyOrder("marked", "counted");
      assertThat(expected.get(1)).extracting(Recommendation::id).containsExactly("counted");
      assertThat(expected.get(2)).isEmpty();
      assertThat(evaluate(fromImage)).isEqualTo(expected);
    }
  }

  @Test
  void anImageThatDoesNotReadIsSetAsideAndTheRulesCompiled() throws IOException {
    Path written = RuleImages.write(List.of(pack("a")), folder);
    byte[] bytes = Files.readAllBytes(written);
    List<List<Recommendation>> expected;
    try (CdsEngine compiled = build(RuleImages.none(), pack("a"))) {
      expected = evaluate(compiled);
    }
    // Truncated.
    Files.write(written, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    try (CdsEngine engine = build(images(), pack("a"))) {
      assertThat(engine.fromRuleImage()).isFalse();
      assertThat(evaluate(engine)).isEqualTo(expected);
    }
    // Another rule set's image under this one's name: the key inside differs.
    Path other = RuleImages.write(List.of(pack("b")), folder);
    Files.move(other, written, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (CdsEngine engine = build(images(), pack("a"))) {
      assertThat(engine.fromRuleImage()).isFalse();
      assertThat(evaluate(engine)).isEqualTo(expected);
    }
  }

  @Test
  void anImageHoldingClassesOutsideDroolsMvelTheJdkAndTheEngineIsRefused() throws IOException {
    Path written = RuleImages.write(List.of(pack("a")), folder);
    String key = written.getFileName().toString().replace(".bin", "");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream data = new DataOutputStream(bytes)) {
      data.writeUTF("cds-rule-image/3");
      data.writeUTF(key);
      data.writeBoolean(false);
      data.writeInt(0);
      try (ObjectOutputStream objects = new ObjectOutputStream(data)) {
        // A serializable class of a library the engine uses, but not one an image may hold.
        objects.writeObject(new ArrayList<>(List.of(TextNode.valueOf("x"))));
      }
    }
    Files.write(written, bytes.toByteArray());
    assertSetAsideAndCompiled(key);
  }

  @Test
  void noImageIsWrittenOfRulesThePolicyRefuses() {
    RuleFile refused = file("refused.drl", recommending("Exits", "exits", "USPSTF:A",
        "screening", "info", "    PatientAge(years >= 18)", "x")
        .replace("insert(new Proposal(\"x\"));", "System.exit(1);"));
    RulePack pack = RulePack.builder("refused", "1", "Refused").rules(List.of(refused)).build();
    assertThatExceptionOfType(RuleSetException.class)
        .isThrownBy(() -> RuleImages.write(List.of(pack), folder))
        .satisfies(e -> assertThat(e.problems()).isNotEmpty()
            .allSatisfy(p -> assertThat(p.file()).isEqualTo("refused.drl")));
    assertThat(folder.resolve(RuleImages.FOLDER)).doesNotExist();
  }

  @Test
  void anImageKeepsWhetherSomeRuleHangsOffTheInitialTuple() throws IOException {
    RuleFile notFirst = file("not-first.drl", recommending("No procedure", "none", "USPSTF:A",
        "screening", "info", "    not Procedure()", "none"));
    RulePack initial = RulePack.builder("initial", "1", "Initial").rules(List.of(notFirst))
        .build();
    Path withInitial = RuleImages.write(List.of(initial), folder);
    Path without = RuleImages.write(List.of(pack("a")), folder);
    RuleImages images = images();
    assertThat(images.find(withInitial.getFileName().toString().replace(".bin", "")))
        .hasValueSatisfying(image -> assertThat(image.rulesOnInitialTuple()).isTrue());
    assertThat(images.find(without.getFileName().toString().replace(".bin", "")))
        .hasValueSatisfying(image -> assertThat(image.rulesOnInitialTuple()).isFalse());
  }

  @Test
  void theKeyCoversOrderNamesTextsAndHelpers() {
    RuleFile a = new RuleFile("a.drl", "package a;");
    RuleFile b = new RuleFile("b.drl", "package a;");
    String key = RuleImages.key(List.of(a, b), Map.of());
    assertThat(RuleImages.key(List.of(a, b), Map.of())).isEqualTo(key).hasSize(64);
    assertThat(RuleImages.key(List.of(b, a), Map.of())).isNotEqualTo(key);
    assertThat(RuleImages.key(List.of(new RuleFile("c.drl", "package a;"), b), Map.of()))
        .isNotEqualTo(key);
    assertThat(RuleImages.key(List.of(new RuleFile("a.drl", "package a; "), b), Map.of()))
        .isNotEqualTo(key);
    assertThat(RuleImages.key(List.of(a, b), Map.of(a, Set.of("org.example"))))
        .isNotEqualTo(key);
    // Lengths are part of the digest: moving text from one file to the next is another key.
    assertThat(RuleImages.key(List.of(new RuleFile("ab", "c"), new RuleFile("d", "e")),
        Map.of())).isNotEqualTo(RuleImages.key(List.of(new RuleFile("a", "bc"),
            new RuleFile("d", "e")), Map.of()));
  }

  /** The header and declared types of an image file, then its packages as {@code packages}. */
  private static void rewrite(Path image, List<org.kie.api.definition.KiePackage> packages)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (java.io.DataInputStream in = new java.io.DataInputStream(Files.newInputStream(image));
        DataOutputStream data = new DataOutputStream(bytes)) {
      data.writeUTF(in.readUTF());
      data.writeUTF(in.readUTF());
      data.writeBoolean(in.readBoolean());
      int types = in.readInt();
      data.writeInt(types);
      for (int i = 0; i < types; i++) {
        data.writeUTF(in.readUTF());
        int length = in.readInt();
        data.writeInt(length);
        data.write(in.readNBytes(length));
      }
      try (ObjectOutputStream objects =
          new org.drools.base.common.DroolsObjectOutputStream(data)) {
        objects.writeObject(new ArrayList<>(packages));
      }
    }
    Files.write(image, bytes.toByteArray());
  }

  @Test
  void anImageThatReadsButDoesNotMakeARuleBaseIsSetAsideAndTheRulesCompiled()
      throws IOException {
    Path written = RuleImages.write(List.of(declaring()), folder);
    String key = written.getFileName().toString().replace(".bin", "");
    List<List<Recommendation>> expected;
    try (CdsEngine compiled = build(RuleImages.none(), declaring())) {
      expected = evaluate(compiled);
    }
    // Every package reads as objects, but the compiled code of the rules' consequences is gone:
    // Drools makes a rule base of such packages and fails at each evaluation.
    List<org.kie.api.definition.KiePackage> packages = images().find(key).orElseThrow().packages();
    int removed = 0;
    for (org.kie.api.definition.KiePackage kiePackage : packages) {
      org.drools.core.rule.JavaDialectRuntimeData java =
          (org.drools.core.rule.JavaDialectRuntimeData)
              ((org.drools.base.definitions.InternalKnowledgePackage) kiePackage)
                  .getDialectRuntimeRegistry().getDialectData("java");
      if (java != null) {
        List<String> consequences = java.getStore().keySet().stream()
            .filter(name -> name.contains("Consequence")).toList();
        consequences.forEach(java.getStore()::remove);
        removed += consequences.size();
      }
    }
    assertThat(removed).isPositive();
    rewrite(written, packages);
    try (CdsEngine engine = build(images(), declaring())) {
      assertThat(engine.fromRuleImage()).isFalse();
      assertThat(evaluate(engine)).isEqualTo(expected);
    }
  }

  @Test
  void anImageDeclaringAnArrayLargerThanAnyImageHoldsIsRefusedBeforeItIsAllocated()
      throws IOException {
    Path written = RuleImages.write(List.of(pack("a")), folder);
    String key = written.getFileName().toString().replace(".bin", "");
    long[] marker = {0x0102030405060708L, 0x1112131415161718L};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream data = new DataOutputStream(bytes)) {
      data.writeUTF("cds-rule-image/3");
      data.writeUTF(key);
      data.writeBoolean(false);
      data.writeInt(0);
      try (ObjectOutputStream objects = new ObjectOutputStream(data)) {
        objects.writeObject(new ArrayList<>(List.of(marker)));
      }
    }
    byte[] image = bytes.toByteArray();
    // The array's length, just before its first element: made 2^31 - 16 elements (16 GiB).
    int at = -1;
    for (int i = 4; i + 8 <= image.length && at < 0; i++) {
      if (image[i] == 1 && image[i + 1] == 2 && image[i + 7] == 8 && image[i - 1] == 2) {
        at = i - 4;
      }
    }
    assertThat(at).isPositive();
    image[at] = 0x7f;
    image[at + 1] = (byte) 0xff;
    image[at + 2] = (byte) 0xff;
    image[at + 3] = (byte) 0xf0;
    Files.write(written, image);
    assertSetAsideAndCompiled(key);
  }

  @Test
  void theDroolsVersionInTheKeyIsTheVersionOfTheDroolsOnTheClassPath() {
    // Read as drools-core's jar names itself, not as a constant of this test.
    assertThat(RuleImages.droolsVersion()).isNotEqualTo("unknown").isEqualTo(
        org.drools.core.rule.JavaDialectRuntimeData.class.getPackage()
            .getImplementationVersion());
    assertThat(RuleImages.engineBuild()).isNotEqualTo("unknown").doesNotContain("${");
  }

  @Test
  void withoutTheDroolsVersionOrTheEngineBuildNoImageIsWrittenOrRead() throws IOException {
    String build = RuleImages.engineBuild();
    String drools = RuleImages.droolsVersion();
    for (String[] identity : List.of(new String[] {build, "unknown"},
        new String[] {"unknown", drools})) {
      org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() ->
          RuleImages.write(List.of(pack("a")), folder, identity[0], identity[1]));
    }
    assertThat(folder.resolve(RuleImages.FOLDER)).doesNotExist();
    // An image that names the same unknown Drools (another Drools whose version is not
    // known either would write the same key) is not read.
    RuleImages.write(List.of(pack("a")), folder, build, drools);
    URLClassLoader loader = new URLClassLoader(new URL[] {folder.toUri().toURL()},
        RuleImagesTest.class.getClassLoader());
    loaders.add(loader);
    RuleImages unknown = RuleImages.onClassPath(loader, build, "unknown");
    assertThat(unknown.enabled()).isFalse();
    Map<RuleFile, Set<String>> files = RuleImages.filesOf(List.of(pack("a")));
    assertThat(unknown.find(unknown.keyOf(new ArrayList<>(files.keySet()), files))).isEmpty();
    RuleImages known = RuleImages.onClassPath(loader, build, drools);
    assertThat(known.find(known.keyOf(new ArrayList<>(files.keySet()), files))).isPresent();
  }
}
