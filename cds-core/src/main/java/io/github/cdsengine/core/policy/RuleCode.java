package io.github.cdsengine.core.policy;

import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.policy.CodeCheck.Scope;
import io.github.cdsengine.core.policy.CodeNames.Function;
import io.github.cdsengine.core.policy.CodeType.DeclaredType;
import io.github.cdsengine.core.problem.RuleProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.AccumulateDescr.AccumulateFunctionCallDescr;
import org.drools.drl.ast.descr.AndDescr;
import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.AtomicExprDescr;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.BindingDescr;
import org.drools.drl.ast.descr.CollectDescr;
import org.drools.drl.ast.descr.ConstraintConnectiveDescr;
import org.drools.drl.ast.descr.EvalDescr;
import org.drools.drl.ast.descr.ExistsDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.ForallDescr;
import org.drools.drl.ast.descr.FromDescr;
import org.drools.drl.ast.descr.FunctionDescr;
import org.drools.drl.ast.descr.GlobalDescr;
import org.drools.drl.ast.descr.ImportDescr;
import org.drools.drl.ast.descr.NotDescr;
import org.drools.drl.ast.descr.OrDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.QueryDescr;
import org.drools.drl.ast.descr.RelationalExprDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.ast.descr.TypeDeclarationDescr;
import org.drools.drl.ast.descr.TypeFieldDescr;
import org.drools.drl.parser.DrlExprParser;
import org.drools.drl.parser.DrlExprParserFactory;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsError;
import org.drools.drl.parser.DroolsParserException;
import org.kie.internal.builder.conf.LanguageLevelOption;

/**
 * The syntax-tree stage of {@link RulePolicy}: reads each rule file with the rule engine's own DRL
 * parser, so that it sees every code fragment exactly where the compiler will (package, imports,
 * globals, declared types, functions, rule attributes and metadata, every constraint, {@code
 * eval}, {@code from}, {@code collect} and {@code accumulate}, every consequence), and decides each
 * fragment with {@link CodeCheck}. Deny by default: a construct it does not know is refused.
 */
final class RuleCode {

  /** Rule attributes a rule may set, all about order and grouping; none is code. */
  private static final Set<String> ATTRIBUTES = Set.of("salience", "no-loop", "lock-on-active",
      "agenda-group", "activation-group", "auto-focus", "dialect");

  /** Accumulate functions a rule may call, with the type each gives. */
  private static final Map<String, Class<?>> ACCUMULATE_FUNCTIONS = Map.of(
      "count", Long.class, "sum", Number.class, "average", Number.class, "min", Object.class,
      "max", Object.class, "collectList", List.class, "collectSet", Set.class);

  /** Constraint operators: comparisons, the collection and text tests, and the temporal ones. */
  private static final Set<String> OPERATORS = Set.of("==", "!=", "<", "<=", ">", ">=",
      "contains", "excludes", "memberOf", "matches", "soundslike", "str", "after", "before",
      "coincides", "during", "finishes", "finishedby", "includes", "meets", "metby",
      "overlappedby", "overlaps", "starts", "startedby");

  private RuleCode() {}

  /** A file read by the DRL parser, or null when the parser refuses it (the compiler says why). */
  private record Parsed(RuleFile file, PackageDescr descr) {}

  /**
   * The problems in {@code files}' code; {@code helperPackages} gives each file the helper
   * packages of its own rule pack.
   */
  static List<RuleProblem> check(List<RuleFile> files, Map<RuleFile, Set<String>> helperPackages) {
    List<Parsed> parsed = new ArrayList<>();
    List<RuleProblem> unreadable = new ArrayList<>();
    for (RuleFile file : files) {
      parsed.add(new Parsed(file, parse(file, unreadable)));
    }
    Map<String, Map<String, DeclaredType>> typesByPackage = new HashMap<>();
    Map<String, Map<String, Function>> functionsByPackage = new HashMap<>();
    Map<String, Map<String, QueryDescr>> queriesByPackage = new HashMap<>();
    for (Parsed p : parsed) {
      if (p.descr() == null) {
        continue;
      }
      String pkg = p.descr().getNamespace();
      for (TypeDeclarationDescr type : p.descr().getTypeDeclarations()) {
        typesByPackage.computeIfAbsent(pkg, k -> new LinkedHashMap<>()).put(type.getTypeName(),
            new DeclaredType(pkg, type.getTypeName(), new LinkedHashMap<>()));
      }
      for (RuleDescr rule : p.descr().getRules()) {
        if (rule instanceof QueryDescr query) {
          queriesByPackage.computeIfAbsent(pkg, k -> new HashMap<>()).put(query.getName(), query);
        }
      }
      functionsByPackage.computeIfAbsent(pkg, k -> new HashMap<>());
    }
    List<RuleProblem> problems = new ArrayList<>(unreadable);
    List<FileRun> runs = new ArrayList<>();
    for (Parsed p : parsed) {
      if (p.descr() == null) {
        continue;
      }
      String pkg = p.descr().getNamespace();
      FileRun run = new FileRun(p.file(), p.descr(),
          names(p, helperPackages.getOrDefault(p.file(), Set.of()),
              typesByPackage.getOrDefault(pkg, new LinkedHashMap<>()),
              functionsByPackage.get(pkg)),
          queriesByPackage.getOrDefault(pkg, Map.of()));
      runs.add(run);
      run.declarations();
    }
    for (FileRun run : runs) {
      run.signatures();
    }
    for (FileRun run : runs) {
      run.code();
      problems.addAll(run.check.problems());
    }
    return problems;
  }

  /**
   * The names of the rules (not queries) in {@code files} whose first condition is not a fact
   * pattern matched in working memory: a {@code from}, {@code collect}, {@code accumulate}, query
   * call, {@code eval}, {@code not}, {@code exists}, {@code forall} or no condition at all. Such a
   * rule hangs off the session's initial tuple, which outlives the facts of one evaluation, so a
   * session that only deleted the facts would keep what the rule computed (and not fire it
   * again): the engine resets such sessions fully. Files the parser cannot read are passed over.
   */
  static List<String> rulesOnTheInitialTuple(List<RuleFile> files) {
    List<String> found = new ArrayList<>();
    for (RuleFile file : files) {
      PackageDescr descr = parse(file, new ArrayList<>());
      if (descr == null) {
        continue;
      }
      java.util.Set<String> queries = new java.util.HashSet<>();
      for (RuleDescr rule : descr.getRules()) {
        if (rule instanceof QueryDescr) {
          queries.add(rule.getName());
        }
      }
      for (RuleDescr rule : descr.getRules()) {
        if (!(rule instanceof QueryDescr) && !startsWithAFact(rule.getLhs(), queries)) {
          found.add(rule.getName());
        }
      }
    }
    return found;
  }

  /**
   * Whether the rule's first condition is a fact pattern: a pattern matched in working memory,
   * an {@code exists} of one (it turns false as the facts are deleted and true again for the next
   * evaluation), or a {@code not} of one followed by such a pattern (the next evaluation's facts
   * make the rule's tuples afresh). An {@code or} needs every branch to start so.
   */
  private static boolean startsWithAFact(BaseDescr lhs, java.util.Set<String> queries) {
    List<BaseDescr> conditions = new ArrayList<>();
    flatten(lhs, conditions);
    if (conditions.isEmpty()) {
      return false;
    }
    BaseDescr first = conditions.get(0);
    if (first instanceof OrDescr or) {
      for (BaseDescr branch : or.getDescrs()) {
        if (!startsWithAFact(branch, queries)) {
          return false;
        }
      }
      return !or.getDescrs().isEmpty();
    }
    if (factPattern(first, queries)) {
      return true;
    }
    if (first instanceof ExistsDescr exists) {
      return exists.getDescrs().size() == 1
          && factPattern((BaseDescr) exists.getDescrs().get(0), queries);
    }
    if (first instanceof NotDescr not && not.getDescrs().size() == 1
        && factPattern((BaseDescr) not.getDescrs().get(0), queries)) {
      for (BaseDescr later : conditions.subList(1, conditions.size())) {
        if (factPattern(later, queries)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The conditions of nested {@code and}s, in order. */
  private static void flatten(BaseDescr descr, List<BaseDescr> into) {
    if (descr instanceof AndDescr and) {
      for (BaseDescr child : and.getDescrs()) {
        flatten(child, into);
      }
    } else {
      into.add(descr);
    }
  }

  /** A pattern matched in working memory: no source, not a query call. */
  private static boolean factPattern(BaseDescr descr, java.util.Set<String> queries) {
    return descr instanceof PatternDescr pattern && pattern.getSource() == null
        && !queries.contains(pattern.getObjectType());
  }

  /**
   * The file as the rule engine's parser reads it; null, with the parser's errors added to {@code
   * problems}, when it cannot. A file this stage cannot read is refused, never passed unread.
   */
  private static PackageDescr parse(RuleFile file, List<RuleProblem> problems) {
    DrlParser parser = new DrlParser(LanguageLevelOption.DRL6);
    PackageDescr descr;
    try {
      descr = parser.parse(false, file.content());
    } catch (DroolsParserException | RuntimeException e) {
      problems.add(new RuleProblem(file.name(), 1, "the file cannot be read as DRL"));
      return null;
    }
    if (parser.hasErrors() || descr == null) {
      for (DroolsError error : parser.getErrors()) {
        int line = error.getLines() != null && error.getLines().length > 0
            ? error.getLines()[0] : 1;
        String message = error.getMessage() == null ? "unreadable" : error.getMessage();
        problems.add(new RuleProblem(file.name(), Math.max(1, line), message.strip()));
      }
      if (parser.getErrors().isEmpty()) {
        problems.add(new RuleProblem(file.name(), 1, "the file cannot be read as DRL"));
      }
      return null;
    }
    return descr;
  }

  private static CodeCheck names(Parsed p, Set<String> helpers,
      Map<String, DeclaredType> types, Map<String, Function> functions) {
    List<String> wildcards = new ArrayList<>();
    for (ImportDescr i : p.descr().getImports()) {
      String target = i.getTarget();
      if (target.endsWith(".*")) {
        String pkg = target.substring(0, target.length() - 2);
        if (RuleAllowList.allowsPackage(pkg)
            || (helpers.contains(pkg) && RulePack.reservedPackage(pkg).isEmpty())) {
          wildcards.add(pkg);
        }
      }
    }
    CodeNames names = new CodeNames(helpers, wildcards, types, functions);
    CodeCheck check = new CodeCheck(p.file().name(), names);
    for (ImportDescr i : p.descr().getImports()) {
      String target = i.getTarget();
      if (!target.endsWith(".*")) {
        names.load(target).filter(names::allowed)
            .ifPresent(c -> names.importClass(c.getSimpleName(), c));
      }
    }
    for (ImportDescr i : p.descr().getFunctionImports()) {
      String target = i.getTarget();
      int dot = target.lastIndexOf('.');
      if (dot < 0) {
        continue;
      }
      String member = target.substring(dot + 1);
      Optional<Class<?>> owner = names.load(target.substring(0, dot)).filter(names::allowed);
      if (owner.isEmpty()) {
        check.refuse(i.getLine(), "import of " + target + " is refused: its class is not one "
            + "rule code may use");
        continue;
      }
      for (java.lang.reflect.Method m : owner.get().getMethods()) {
        if (java.lang.reflect.Modifier.isStatic(m.getModifiers())
            && (member.equals("*") || m.getName().equals(member))) {
          names.importStatic(m.getName(), owner.get());
        }
      }
    }
    return check;
  }

  /** One file's checks, in three passes: declarations, signatures, code. */
  private static final class FileRun {
    private final RuleFile file;
    private final PackageDescr descr;
    private final CodeCheck check;
    private final CodeNames names;
    private final Map<String, QueryDescr> queries;

    FileRun(RuleFile file, PackageDescr descr, CodeCheck check, Map<String, QueryDescr> queries) {
      this.file = file;
      this.descr = descr;
      this.check = check;
      this.names = check.names();
      this.queries = queries;
    }

    private int lineOf(String text, int from, int fallback) {
      if (text == null || text.isBlank()) {
        return fallback;
      }
      int at = file.content().indexOf(text, Math.max(0, from));
      return at < 0 ? fallback : file.lineAt(at);
    }

    /** Declared types: their names may not take over a class, and what their fields hold. */
    void declarations() {
      String pkg = descr.getNamespace();
      if (!descr.getEnumDeclarations().isEmpty()) {
        check.refuse(descr.getEnumDeclarations().get(0).getLine(), "declare enum is refused: "
            + "use the fact model's enums, or a declared type with a String field");
      }
      if (!descr.getEntryPointDeclarations().isEmpty() || !descr.getWindowDeclarations().isEmpty()) {
        check.refuse(1, "entry point and window declarations are refused: the engine inserts "
            + "each patient's facts into its one working memory");
      }
      if (!descr.getAccumulateImports().isEmpty()) {
        check.refuse(descr.getAccumulateImports().get(0).getLine(), "import accumulate is "
            + "refused: an accumulate function is code from outside the allow-list; use count, "
            + "sum, average, min, max, collectList or collectSet");
      }
      for (TypeDeclarationDescr type : descr.getTypeDeclarations()) {
        String name = type.getTypeName();
        if (names.load(pkg + "." + name).isPresent()) {
          check.refuse(type.getLine(), "declare " + name + " is refused: the class " + pkg + "."
              + name + " already exists, and a declaration may not take over a class");
        }
        if (!type.getSuperTypes().isEmpty() || type.isTrait()) {
          check.refuse(type.getLine(), "declare " + name + " is refused: a declared type may "
              + "not extend a type or be a trait");
        }
        if (!type.getAnnotations().isEmpty()) {
          check.refuse(type.getLine(), "declare " + name + " is refused: annotations on declared "
              + "types (@role, @timestamp, @propertyReactive ...) change how the engine treats "
              + "facts; declare fields only");
        }
      }
    }

    /** Field, global, function and query parameter types; functions' signatures for calls. */
    void signatures() {
      for (FunctionDescr function : descr.getFunctions()) {
        if (names.staticImport(function.getName()).isPresent()) {
          check.refuse(function.getLine(), "function " + function.getName() + " is refused: a "
              + "statically imported method has that name, and Java would choose between them "
              + "by their parameters; rename the function");
        }
      }
      for (TypeDeclarationDescr type : descr.getTypeDeclarations()) {
        DeclaredType declared = names.declaredTypes().get(type.getTypeName());
        for (TypeFieldDescr field : type.getFields().values()) {
          if (field.getInitExpr() != null && !field.getInitExpr().isBlank()) {
            check.refuse(field.getLine(), "field " + field.getFieldName() + " of " + type
                .getTypeName() + ": initial values are refused (they are code run when the "
                + "type is built); set fields when inserting");
          }
          if (!field.getAnnotations().isEmpty()) {
            check.refuse(field.getLine(), "field " + field.getFieldName() + " of "
                + type.getTypeName() + ": annotations on fields are refused");
          }
          String name = field.getFieldName();
          if (!Character.isLowerCase(name.charAt(0))) {
            check.refuse(field.getLine(), "field " + name + " of " + type.getTypeName()
                + " is refused: a field's name starts with a lower-case letter, so that its "
                + "getter names it alone");
          }
          String getter = "get" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
          if (name.equals("class") || RuleAllowList.REFUSED_MEMBERS.containsKey(getter)
              || RuleAllowList.REFUSED_MEMBERS.containsKey(name)) {
            check.refuse(field.getLine(), "field " + name + " of " + type.getTypeName()
                + " is refused: its getter " + getter + "() would stand for a refused member");
          }
          check.typeName(field.getPattern().getObjectType(), field.getLine())
              .ifPresent(t -> declared.fields().put(name, t));
        }
      }
      for (GlobalDescr global : descr.getGlobals()) {
        check.typeName(global.getType(), global.getLine())
            .ifPresent(t -> names.global(global.getIdentifier(), t));
      }
      for (FunctionDescr function : descr.getFunctions()) {
        Optional<CodeType> returns = check.typeName(function.getReturnType(),
            function.getLine());
        List<CodeType> parameters = new ArrayList<>();
        for (String type : function.getParameterTypes()) {
          parameters.add(check.typeName(type, function.getLine()).orElse(null));
        }
        names.functions().put(function.getName(),
            new Function(function.getName(), returns.orElse(null), parameters));
      }
    }

    /** Every code fragment: function bodies, rules and queries. */
    void code() {
      for (FunctionDescr function : descr.getFunctions()) {
        Scope scope = Scope.root();
        for (int i = 0; i < function.getParameterNames().size(); i++) {
          scope.define(function.getParameterNames().get(i),
              check.typeName(function.getParameterTypes().get(i), function.getLine())
                  .orElse(null));
        }
        check.statements(function.getBody(),
            lineOf(function.getBody(), function.getStartCharacter(), function.getLine()), scope);
      }
      // Attributes written after the package apply to every rule of the file.
      for (AttributeDescr attribute : descr.getAttributes()) {
        attribute(attribute.getName(), attribute);
      }
      for (RuleDescr rule : descr.getRules()) {
        rule(rule);
      }
    }

    private void rule(RuleDescr rule) {
      for (Map.Entry<String, AttributeDescr> attribute : rule.getAttributes().entrySet()) {
        attribute(attribute.getKey(), attribute.getValue());
      }
      for (AnnotationDescr annotation : rule.getAnnotations()) {
        metadata(annotation, lineOf("@" + annotation.getName(), rule.getStartCharacter(),
            rule.getLine()));
      }
      Scope scope = Scope.root();
      if (rule instanceof QueryDescr query) {
        String[] parameters = query.getParameters();
        String[] types = query.getParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
          scope.define(parameters[i], check.typeName(types[i], query.getLine()).orElse(null));
        }
      }
      conditions(rule.getLhs(), scope);
      if (rule.getNamedConsequences() != null && !rule.getNamedConsequences().isEmpty()) {
        check.refuse(rule.getLine(), "named consequences are refused: one rule, one 'then'");
      }
      Object consequence = rule.getConsequence();
      if (!(rule instanceof QueryDescr) && consequence instanceof String text) {
        check.statements(text, lineOf(text, rule.getStartCharacter(),
            rule.getConsequenceLine()), scope.consequence());
      }
    }

    private void attribute(String name, AttributeDescr attribute) {
      String value = attribute.getValue() == null ? "" : attribute.getValue().trim();
      if (!ATTRIBUTES.contains(name)) {
        check.refuse(attribute.getLine(), "rule attribute '" + name + "' is refused: rules may "
            + "set " + String.join(", ", ATTRIBUTES.stream().sorted().toList())
            + (Set.of("timer", "calendars", "date-effective", "date-expires", "duration",
                "enabled").contains(name) ? " (" + name + " reads the clock or runs code)" : ""));
      } else if (name.equals("salience") && !value.matches("-?\\d{1,9}")) {
        check.refuse(attribute.getLine(), "salience is a whole number, not an expression: '"
            + value + "'");
      } else if (name.equals("dialect") && !value.replace("'", "\"").equals("\"java\"")
          && !value.equals("java")) {
        check.refuse(attribute.getLine(), "dialect \"" + value.replace("\"", "")
            .replace("'", "") + "\" is refused: rules use the java dialect");
      }
    }

    private void metadata(AnnotationDescr annotation, int line) {
      for (Map.Entry<String, Object> value : annotation.getValueMap().entrySet()) {
        Object v = value.getValue();
        String text = v == null ? "" : v.toString().trim();
        boolean literal = quoted(text) || text.matches("-?\\d+(\\.\\d+)?") || text.equals("true") || text.equals("false");
        if (!literal) {
          check.refuse(line, "metadata @" + annotation.getName() + " is refused:"
              + " a metadata value is a quoted text, a number or true/false; the rule engine "
              + "evaluates anything else as code");
        }
      }
    }

    /** Whether {@code text} is one double-quoted string with no unescaped quote inside. */
    private static boolean quoted(String text) {
      if (text.length() < 2 || text.charAt(0) != '"' || text.charAt(text.length() - 1) != '"') {
        return false;
      }
      for (int i = 1; i < text.length() - 1; i++) {
        char c = text.charAt(i);
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          return false;
        }
      }
      return true;
    }

    // ---------------------------------------------------------------- conditions

    private void conditions(BaseDescr d, Scope scope) {
      if (d instanceof AndDescr and) {
        and.getDescrs().forEach(c -> conditions(c, scope));
      } else if (d instanceof OrDescr or) {
        List<Scope> branches = new ArrayList<>();
        for (BaseDescr branch : or.getDescrs()) {
          Scope inner = scope.child();
          conditions(branch, inner);
          branches.add(inner);
        }
        for (String name : branches.isEmpty() ? Set.<String>of() : branches.get(0).bound()) {
          if (branches.stream().allMatch(b -> b.bound().contains(name))) {
            scope.define(name, branches.get(0).lookup(name).orElse(null));
          }
        }
      } else if (d instanceof NotDescr not) {
        Scope inner = scope.child();
        for (Object c : not.getDescrs()) {
          conditions((BaseDescr) c, inner);
        }
      } else if (d instanceof ExistsDescr exists) {
        Scope inner = scope.child();
        for (Object c : exists.getDescrs()) {
          conditions((BaseDescr) c, inner);
        }
      } else if (d instanceof ForallDescr forall) {
        Scope inner = scope.child();
        for (Object c : forall.getDescrs()) {
          conditions((BaseDescr) c, inner);
        }
      } else if (d instanceof EvalDescr eval) {
        Object content = eval.getContent();
        String text = content == null ? "" : content.toString();
        check.expression(text, lineOf(text, eval.getStartCharacter(), eval.getLine()), scope);
      } else if (d instanceof PatternDescr pattern) {
        pattern(pattern, scope);
      } else if (d instanceof AccumulateDescr accumulate) {
        accumulate(accumulate, scope, d.getLine());
      } else {
        check.refuse(d.getLine(), d.getClass().getSimpleName().replace("Descr", "")
            + " is refused in rule conditions");
      }
    }

    private void pattern(PatternDescr pattern, Scope scope) {
      int line = pattern.getLine();
      String typeName = pattern.getObjectType();
      if (pattern.getSource() != null) {
        source(pattern, scope);
      }
      QueryDescr query = queries.get(typeName);
      if (query != null) {
        queryCall(pattern, query, scope);
        return;
      }
      if (pattern.getIdentifier() != null && pattern.isUnification()) {
        check.refuse(line, "unification ':=' is refused in patterns; bind with ':'");
      }
      Optional<CodeType> fact = check.typeName(typeName, line);
      Scope constraints = scope.constraintOn(fact.orElse(null));
      for (BaseDescr c : pattern.getDescrs()) {
        if (c instanceof ExprConstraintDescr e) {
          constraint(e.getExpression(), e.getLine() > 0 ? e.getLine() : line, constraints, scope);
        } else {
          check.refuse(line, "this constraint is refused: " + c.getText());
        }
      }
      if (pattern.getIdentifier() != null) {
        scope.define(pattern.getIdentifier(), fact.orElse(null));
      }
    }

    private void queryCall(PatternDescr pattern, QueryDescr query, Scope scope) {
      String[] parameters = query.getParameterTypes();
      int position = 0;
      for (BaseDescr c : pattern.getDescrs()) {
        if (!(c instanceof ExprConstraintDescr e)) {
          check.refuse(pattern.getLine(), "this query argument is refused: " + c.getText());
          continue;
        }
        String text = e.getExpression().trim();
        int line = e.getLine() > 0 ? e.getLine() : pattern.getLine();
        if (text.matches("\\$?[A-Za-z_][A-Za-z0-9_]*") && !scope.defines(text)
            && names.global(text).isEmpty()) {
          // An unbound variable: the query binds it.
          scope.define(text, position < parameters.length
              ? check.typeName(parameters[position], line).orElse(null) : null);
        } else {
          Optional<CodeType> argument = check.expression(text, line, scope.dynamic());
          Optional<CodeType> parameter = position < parameters.length
              ? check.typeName(parameters[position], line) : Optional.empty();
          if (parameter.isPresent() && parameter.get().raw() != Object.class
              && (argument.isEmpty() || !parameter.get().accepts(argument.get())
                  || (argument.get().raw() == Object.class))) {
            check.refuse(line, "query " + query.getName() + " takes a "
                + parameter.get().display() + " at argument " + (position + 1) + "; '" + text
                + "' is " + argument.map(t -> "a " + t.display()).orElse("of no known type"));
          }
        }
        position++;
      }
      if (position != parameters.length) {
        check.refuse(pattern.getLine(), "query " + query.getName() + " takes "
            + parameters.length + " arguments, not " + position);
      }
    }

    private void source(PatternDescr pattern, Scope scope) {
      BaseDescr source = pattern.getSource();
      int line = pattern.getLine();
      if (source instanceof FromDescr from) {
        String text = from.getDataSource() == null ? "" : from.getDataSource().toString();
        check.expression(text, lineOf(text, pattern.getStartCharacter(), line), scope.dynamic());
      } else if (source instanceof CollectDescr collect) {
        conditions(collect.getInputPattern(), scope.child());
      } else if (source instanceof AccumulateDescr accumulate) {
        accumulate(accumulate, scope, line);
      } else {
        check.refuse(line, "pattern source " + source.getClass().getSimpleName()
            .replace("Descr", "") + " is refused (entry points and windows are not used)");
      }
    }

    private void accumulate(AccumulateDescr accumulate, Scope scope, int line) {
      if (accumulate instanceof org.drools.drl.ast.descr.GroupByDescr) {
        check.refuse(line, "groupby is refused: its grouping key is code the rule engine runs "
            + "apart from the rule; accumulate per group with a pattern on the key");
        return;
      }
      if (accumulate.getInitCode() != null || accumulate.getActionCode() != null
          || accumulate.getResultCode() != null || accumulate.getReverseCode() != null) {
        check.refuse(line, "inline accumulate code (init, action, reverse, result) is refused: "
            + "use an accumulate function");
        return;
      }
      Scope inner = scope.child();
      if (accumulate.getInput() != null) {
        conditions(accumulate.getInput(), inner);
      }
      for (AccumulateFunctionCallDescr function : accumulate.getFunctions()) {
        Class<?> gives = ACCUMULATE_FUNCTIONS.get(function.getFunction());
        if (gives == null) {
          check.refuse(line, "accumulate function " + function.getFunction() + " is refused: "
              + "use " + String.join(", ", ACCUMULATE_FUNCTIONS.keySet().stream().sorted()
                  .toList()));
          continue;
        }
        for (String parameter : function.getParams()) {
          check.expression(parameter, line, inner.dynamic());
        }
        if (function.getBind() != null) {
          scope.define(function.getBind(), CodeType.of(gives));
        }
      }
    }

    private void constraint(String text, int line, Scope constraints, Scope outer) {
      DrlExprParser parser = DrlExprParserFactory.getDrlExprParser(LanguageLevelOption.DRL6);
      ConstraintConnectiveDescr tree = parser.parse(text);
      if (parser.hasErrors() || tree == null) {
        check.refuse(line, "this constraint cannot be read: " + text.strip());
        return;
      }
      connective(tree, line, constraints, outer);
    }

    private void connective(BaseDescr d, int line, Scope constraints, Scope outer) {
      if (d instanceof ConstraintConnectiveDescr c) {
        for (Object x : c.getDescrs()) {
          connective((BaseDescr) x, line, constraints, outer);
        }
      } else if (d instanceof BindingDescr b) {
        if (b.isUnification()) {
          check.refuse(line, "unification ':=' is refused in constraints; bind with ':'");
        }
        Optional<CodeType> type = check.expression(b.getExpression(), line, constraints);
        outer.define(b.getVariable(), type.orElse(null));
      } else if (d instanceof RelationalExprDescr r) {
        if (!OPERATORS.contains(r.getOperator())) {
          check.refuse(line, "operator " + r.getOperator() + " is refused");
        }
        connective(r.getLeft(), line, constraints, outer);
        connective(r.getRight(), line, constraints, outer);
      } else if (d instanceof AtomicExprDescr a) {
        if (!a.isLiteral() || !a.getExpression().isBlank()) {
          check.expression(a.getExpression(), line, constraints);
        }
      } else {
        check.refuse(line, "this constraint is refused: " + d.getText());
      }
    }
  }
}
