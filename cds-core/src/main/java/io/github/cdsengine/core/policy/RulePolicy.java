package io.github.cdsengine.core.policy;

import io.github.cdsengine.core.drl.DrlTokens.Token;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.github.cdsengine.core.problem.RuleProblem;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.drl.DrlTokens;

/**
 * Checks DRL text against the {@link RuleAllowList} before it is compiled. DRL is code: its
 * conditions, consequences, functions and metadata compile to Java that could call anything on
 * the class path. Every name a file uses must therefore resolve to our fact model and helpers,
 * {@code java.time}, plain collections, math and strings, or to what the rule set declares:
 *
 * <ul>
 *   <li>every import (also {@code import function}, {@code import static}, {@code import
 *       accumulate}) and every fully qualified name, anywhere in the file;
 *   <li>every type named by its simple name (patterns, {@code new}, casts, {@code declare ...
 *       extends}, globals, static calls) must be declared by the rule set in the file's package,
 *       imported from an allowed package, or an allowed {@code java.lang} class;
 *   <li>a rule pack's own Java helpers are allowed to the pack's files only: the packages its
 *       manifest declares ({@link io.github.cdsengine.core.pack.RulePack#helperPackages()}),
 *       given to {@link #check(List, Map)} for each of its files; a file given none, such as
 *       one added to the engine on its own, may call none of them;
 *   <li>members that reach reflection, processes, the JVM, threads or the system clock ({@code
 *       getClass}, {@code forName}, {@code exec}, {@code now}, ...) are refused on any receiver,
 *       and so are class literals, the rule context ({@code drools}, {@code kcontext}), {@code
 *       synchronized}, the MVEL dialect and unicode escapes.
 * </ul>
 *
 * <p>These token checks are the first stage, for their plain reasons. The second stage decides:
 * {@link RuleCode} reads each file with the rule engine's DRL parser and {@link CodeCheck} resolves
 * every name of every code fragment on its Java syntax tree, deny by default, refusing a call by
 * its resolved member and by the type it returns. A file passes only when both stages pass it.
 * Neither stage can stop a rule that loops forever or allocates without bound; the evaluation's
 * time bound stops the first, and a rule set from an author you do not trust should also run in a
 * JVM (or container) that has no permission to do harm.
 *
 * <p>{@link io.github.cdsengine.core.CdsEngine.Builder#build()} runs this check on every rule file, shipped packs
 * included, and compiles nothing when it finds a problem; {@link #check} is public so that rule
 * authors can lint their files (in CI, say) without building an engine.
 */
public final class RulePolicy {

  private static final Pattern UNICODE_ESCAPE = Pattern.compile("\\\\u+[0-9a-fA-F]{4}");

  /** What one file declares: its package and the names of its types, functions and queries. */
  private record Declared(String packageName, Set<String> names) {}

  private RulePolicy() {}

  /**
   * Every problem the policy finds in {@code files}, each with file, line and reason; empty when
   * all of them keep to it. Types a file declares may be used by the other files in its package.
   *
   * @param files the rule files of one rule set
   * @return the problems found, in file order
   */
  public static List<RuleProblem> check(List<RuleFile> files) {
    return check(files, Map.of());
  }

  /**
   * Every problem the policy finds in {@code files}, each with file, line and reason; empty when
   * all of them keep to it. A file may call every public class of the helper packages {@code
   * helperPackages} gives it, those its rule pack declares; a file it gives none may call none.
   * A reserved helper package ({@link io.github.cdsengine.core.pack.RulePack#reservedPackage}) is
   * refused, not allowed.
   *
   * @param files the rule files of one rule set
   * @param helperPackages for each file of a rule pack, the pack's {@linkplain
   *     io.github.cdsengine.core.pack.RulePack#helperPackages() helper packages}
   * @return the problems found, in file order
   */
  public static List<RuleProblem> check(List<RuleFile> files,
      Map<RuleFile, ? extends Collection<String>> helperPackages) {
    Set<String> everyHelperPackage = new HashSet<>();
    helperPackages.values().forEach(packages -> packages.stream()
        .filter(p -> RulePack.reservedPackage(p).isEmpty()).forEach(everyHelperPackage::add));
    List<List<Token>> tokens = new ArrayList<>();
    Map<String, Set<String>> declaredByPackage = new HashMap<>();
    List<Declared> declared = new ArrayList<>();
    for (RuleFile file : files) {
      List<Token> fileTokens = DrlTokens.of(file.withoutComments());
      tokens.add(fileTokens);
      Declared names = declarations(fileTokens);
      declared.add(names);
      declaredByPackage.computeIfAbsent(names.packageName(), p -> new HashSet<>())
          .addAll(names.names());
    }
    List<RuleProblem> problems = new ArrayList<>();
    List<RuleFile> passed = new ArrayList<>();
    Map<RuleFile, Set<String>> passedHelpers = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      RuleFile file = files.get(i);
      String packageName = declared.get(i).packageName();
      Set<String> helpers = new HashSet<>();
      Collection<String> declaredHelpers = helperPackages.get(file);
      for (String helperPackage : declaredHelpers == null ? List.<String>of() : declaredHelpers) {
        Optional<String> reserved = RulePack.reservedPackage(helperPackage);
        if (reserved.isPresent()) {
          problems.add(new RuleProblem(file.name(), 0, "helper package " + helperPackage
              + " is refused: " + reserved.get() + " and the packages inside it are reserved "
              + "to the JDK, the rule engine and this engine"));
        } else {
          helpers.add(helperPackage);
        }
      }
      FileCheck check = new FileCheck(file.name(), tokens.get(i), packageName,
          declaredByPackage, helpers,
          everyHelperPackage);
      List<RuleProblem> fileProblems = new ArrayList<>(unicodeEscapes(file));
      fileProblems.addAll(check.run());
      problems.addAll(fileProblems);
      if (fileProblems.isEmpty()) {
        passed.add(file);
        passedHelpers.put(file, helpers);
      }
    }
    // The syntax tree decides; the token stage above is a first filter with plainer reasons.
    // Every file of the rule set is read for its declarations; only files the first stage
    // passed are reported on, so one problem is not reported twice.
    if (!passed.isEmpty()) {
      Set<String> passedNames = new HashSet<>();
      passed.forEach(f -> passedNames.add(f.name()));
      Map<RuleFile, Set<String>> allHelpers = new HashMap<>();
      for (RuleFile file : files) {
        allHelpers.put(file, passedHelpers.getOrDefault(file, Set.of()));
      }
      for (RuleProblem problem : RuleCode.check(files, allHelpers)) {
        if (passedNames.contains(problem.file())) {
          problems.add(problem);
        }
      }
    }
    return problems;
  }

  /**
   * The names of the rules whose first condition is not a fact pattern (a {@code from}, {@code
   * collect}, {@code accumulate}, query call, {@code eval}, {@code not}, {@code exists} or none):
   * they hang off the session's initial tuple, which deleting an evaluation's facts does not
   * clear, so an engine with such rules resets its sessions fully between evaluations.
   *
   * @param files the rule files of one rule set
   * @return the rule names, in file order; empty when every rule starts with a fact pattern
   */
  public static List<String> rulesOnTheInitialTuple(List<RuleFile> files) {
    return RuleCode.rulesOnTheInitialTuple(files);
  }

  /** Unicode escapes anywhere, comments included: Java decodes them before reading code. */
  private static List<RuleProblem> unicodeEscapes(RuleFile file) {
    List<RuleProblem> problems = new ArrayList<>();
    String[] lines = file.content().split("\n", -1);
    for (int line = 0; line < lines.length; line++) {
      Matcher escape = UNICODE_ESCAPE.matcher(lines[line]);
      if (escape.find()) {
        problems.add(new RuleProblem(file.name(), line + 1, "unicode escape '" + escape.group()
            + "' is refused: Java decodes escapes before it reads the code, so they can hide "
            + "names (even inside comments and strings); write the character itself"));
      }
    }
    return problems;
  }

  /** The package a file is in and the types, functions and queries it declares. */
  private static Declared declarations(List<Token> tokens) {
    String packageName = "";
    Set<String> names = new HashSet<>();
    for (int i = 0; i < tokens.size() - 1; i++) {
      Token token = tokens.get(i);
      if (!token.identifier() || (i > 0 && tokens.get(i - 1).is("."))) {
        continue;
      }
      switch (token.text()) {
        case "package" -> packageName = String.join(".", chain(tokens, i + 1));
        case "declare" -> {
          int name = i + 1;
          while (name < tokens.size() && (tokens.get(name).is("trait")
              || tokens.get(name).is("enum") || tokens.get(name).is("type"))) {
            name++;
          }
          List<String> declaredName = chain(tokens, name);
          if (!declaredName.isEmpty()) {
            names.add(declaredName.get(declaredName.size() - 1));
          }
        }
        case "query" -> names.add(tokens.get(i + 1).text());
        case "function" -> {
          // function Type name(...): the identifier before the first parenthesis
          for (int j = i + 1; j < tokens.size() - 1; j++) {
            if (tokens.get(j + 1).is("(")) {
              names.add(tokens.get(j).text());
              break;
            }
          }
        }
        default -> { }
      }
    }
    return new Declared(packageName, names);
  }

  /** The dotted identifiers starting at {@code start}: {@code [java, util, List]}. */
  static List<String> chain(List<Token> tokens, int start) {
    List<String> parts = new ArrayList<>();
    int i = start;
    while (i < tokens.size() && tokens.get(i).identifier()) {
      parts.add(tokens.get(i).text());
      if (i + 2 < tokens.size() && tokens.get(i + 1).is(".") && tokens.get(i + 2).identifier()) {
        i += 2;
      } else {
        break;
      }
    }
    return parts;
  }

  /** Checks one file's tokens; collects each problem once per line. */
  private static final class FileCheck {

    private final String file;
    private final List<Token> tokens;
    private final String packageName;
    private final Set<String> declared;
    private final Map<String, Set<String>> declaredByPackage;
    /** The helper packages of this file's rule pack. */
    private final Set<String> helpers;
    /** The helper packages of every rule pack checked, for the reason a file is refused one. */
    private final Set<String> everyHelperPackage;
    private final Map<String, String> imported = new HashMap<>();
    private final List<String> wildcardPackages = new ArrayList<>();
    private final Set<RuleProblem> problems = new LinkedHashSet<>();

    FileCheck(String file, List<Token> tokens, String packageName,
        Map<String, Set<String>> declaredByPackage, Set<String> helpers,
        Set<String> everyHelperPackage) {
      this.file = file;
      this.tokens = tokens;
      this.packageName = packageName;
      this.declared = declaredByPackage.getOrDefault(packageName, Set.of());
      this.declaredByPackage = declaredByPackage;
      this.helpers = helpers;
      this.everyHelperPackage = everyHelperPackage;
    }

    /** Whether {@code packageName.simpleName} may be used: allowed to all, or a helper of ours. */
    private boolean allows(String pkg, String simpleName) {
      return RuleAllowList.allows(pkg, simpleName)
          || (helpers.contains(pkg) && !RuleAllowList.REFUSED_CLASSES.containsKey(simpleName));
    }

    /** Whether every public class of {@code pkg} may be used (for a wildcard import). */
    private boolean allowsPackage(String pkg) {
      return RuleAllowList.allowsPackage(pkg) || helpers.contains(pkg);
    }

    List<RuleProblem> run() {
      int i = 0;
      while (i < tokens.size()) {
        Token token = tokens.get(i);
        Token previous = i > 0 ? tokens.get(i - 1) : null;
        boolean member = previous != null && (previous.is(".") || previous.is("::"));
        if (!token.identifier()) {
          i++;
        } else if (member) {
          checkMember(token);
          i++;
        } else if (previous != null && previous.is("@")) {
          i++; // an annotation's name; its arguments are checked like any other text
        } else if (token.is("package")) {
          i = checkPackage(i);
        } else if (token.is("import")) {
          i = checkImport(i);
        } else if (token.is("dialect") && i + 1 < tokens.size()
            && tokens.get(i + 1).text().replace("'", "\"").equals("\"mvel\"")) {
          refuse(token, "the MVEL dialect is refused: it resolves names and properties at run "
              + "time, beyond what this check can follow; use the java dialect (the default)");
          i += 2;
        } else {
          i = checkChain(i);
        }
      }
      return List.copyOf(problems);
    }

    private int checkPackage(int at) {
      List<String> name = chain(tokens, at + 1);
      String joined = String.join(".", name);
      RulePack.reservedPackage(joined).ifPresent(reserved -> refuse(tokens.get(at), "package "
          + joined + " is refused: a rule set's package must be its own, since sharing "
          + reserved + " would give it that package's package-private classes"));
      return at + 1 + Math.max(0, name.size() * 2 - 1);
    }

    /** {@code import [function|static|accumulate] a.b.C[.member|.*] [alias]}. */
    private int checkImport(int at) {
      int i = at + 1;
      String kind = "";
      if (i < tokens.size() && (tokens.get(i).is("function") || tokens.get(i).is("static")
          || tokens.get(i).is("accumulate"))) {
        kind = tokens.get(i).text();
        i++;
      }
      List<String> name = chain(tokens, i);
      int end = i + Math.max(0, name.size() * 2 - 1);
      boolean wildcard = end + 1 < tokens.size() && tokens.get(end).is(".")
          && tokens.get(end + 1).is("*");
      if (wildcard) {
        end += 2;
      }
      Token line = tokens.get(at);
      if (name.isEmpty()) {
        return end;
      }
      String last = name.get(name.size() - 1);
      boolean ofMember = kind.equals("function") || (kind.equals("static") && !wildcard);
      List<String> type = ofMember ? name.subList(0, name.size() - 1) : name;
      if (ofMember && RuleAllowList.REFUSED_MEMBERS.containsKey(last)) {
        // the member's reason is the more specific one; its class is not reported again
        refuse(line, "import of '" + last + "' is refused: "
            + RuleAllowList.REFUSED_MEMBERS.get(last));
      } else if (wildcard && kind.isEmpty()) {
        String wildcardPackage = String.join(".", name);
        // The file's own package may be imported, but it lets in only what the rule set
        // declares there, never a class on the class path that shares the package's name.
        if (allowsPackage(wildcardPackage)) {
          wildcardPackages.add(wildcardPackage);
        } else if (!wildcardPackage.equals(packageName)) {
          refuse(line, "import " + wildcardPackage + ".* is refused: "
              + (RuleAllowList.CLASSES.containsKey(wildcardPackage) ? "only some classes of "
                  + wildcardPackage + " are allowed; import them by name"
                  : packageReason(wildcardPackage)));
        }
      } else {
        checkQualified(line, type, "import of ");
        if (!ofMember && !kind.equals("accumulate")) {
          imported.put(last, String.join(".", name));
        }
      }
      if (kind.equals("accumulate") && end < tokens.size() && tokens.get(end).identifier()) {
        end++; // the accumulate function's alias
      }
      return end;
    }

    /**
     * A chain of dotted identifiers that does not follow a dot: a fully qualified name, a type
     * and its members, or a variable and its members.
     */
    private int checkChain(int at) {
      List<String> parts = chain(tokens, at);
      Token first = tokens.get(at);
      String head = parts.get(0);
      int typeIndex = typeIndex(parts);
      if (RuleAllowList.REFUSED_WORDS.containsKey(head)) {
        refuse(first, RuleAllowList.REFUSED_WORDS.get(head));
      } else if (typeIndex > 0 || (parts.size() > 1
          && RuleAllowList.PACKAGE_ROOTS.contains(head))) {
        checkQualified(first, typeIndex > 0 ? parts.subList(0, typeIndex + 1) : parts, "");
      } else if (typeIndex == 0 && !(parts.size() == 1 && at > 0
          && tokens.get(at - 1).is("case"))) {
        // An enum switch's label (case MALE:) is a constant, not a type; the syntax-tree stage
        // resolves it against the switch's type.
        checkSimpleType(first, head);
      }
      for (int p = 1; p < parts.size(); p++) {
        checkMember(tokens.get(at + 2 * p));
      }
      return at + 2 * parts.size() - 1;
    }

    /**
     * The index of the first part that names a type (starts with a capital) after only
     * lower-case parts; -1 when there is none.
     */
    private static int typeIndex(List<String> parts) {
      for (int p = 0; p < parts.size(); p++) {
        String part = parts.get(p);
        if (Character.isUpperCase(part.charAt(0))) {
          return p;
        }
        if (part.startsWith("$") || part.equals("this")) {
          return -1;
        }
      }
      return -1;
    }

    /** A type named by its package: {@code [java, util, List]}. */
    private void checkQualified(Token at, List<String> name, String what) {
      String last = name.get(name.size() - 1);
      String pkg = String.join(".", name.subList(0, name.size() - 1));
      String qualified = String.join(".", name);
      if (Character.isUpperCase(last.charAt(0))
          && (allows(pkg, last) || declaredIn(pkg, last))) {
        return;
      }
      String reason = RuleAllowList.REFUSED_CLASSES.containsKey(last)
          ? RuleAllowList.REFUSED_CLASSES.get(last) : packageReason(pkg.isEmpty() ? qualified
              : pkg);
      refuse(at, what + qualified + " is refused: " + reason);
    }

    private boolean declaredIn(String pkg, String simpleName) {
      return declaredByPackage.getOrDefault(pkg, Set.of()).contains(simpleName);
    }

    /** A type (or query, function) named by its simple name. */
    private void checkSimpleType(Token at, String name) {
      if (RuleAllowList.REFUSED_CLASSES.containsKey(name)) {
        refuse(at, name + " is refused: " + RuleAllowList.REFUSED_CLASSES.get(name));
        return;
      }
      if (declared.contains(name) || imported.containsKey(name)
          || RuleAllowList.allows("java.lang", name)) {
        return;
      }
      for (String wildcard : wildcardPackages) {
        if (exists(wildcard + "." + name)) {
          return;
        }
      }
      if (exists("java.lang." + name)) {
        refuse(at, "java.lang." + name + " is refused: it is not on the allow-list (strings, "
            + "numbers, Math and a few exceptions)");
      } else {
        refuse(at, name + " is refused: it is neither declared by the rule set in package "
            + packageName + " nor imported from an allowed package");
      }
    }

    private void checkMember(Token member) {
      if (member.is("class")) {
        refuse(member, "class literals are refused: a Class object is reflection");
      } else if (RuleAllowList.REFUSED_MEMBERS.containsKey(member.text())) {
        refuse(member, "'" + member.text() + "' is refused: "
            + RuleAllowList.REFUSED_MEMBERS.get(member.text()));
      }
    }

    private String packageReason(String pkg) {
      if (everyHelperPackage.contains(pkg)) {
        return "package " + pkg + " is a helper package of another rule pack: only the files of "
            + "the pack whose manifest declares it (helperPackages) may call it";
      }
      return RuleAllowList.packageReason(pkg).map(reason -> "package " + pkg + " means " + reason)
          .orElse("it is not on the allow-list (the fact model and helpers, java.time, "
              + "collections, math and strings)");
    }

    private void refuse(Token at, String reason) {
      problems.add(new RuleProblem(file, at.line(), reason));
    }

    /** Whether the class exists, without initializing it. */
    private static boolean exists(String className) {
      try {
        Class.forName(className, false, RulePolicy.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
  }
}
