package io.github.cdsengine.core.policy;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.ArrayInitializerExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.CharLiteralExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.InstanceOfExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.MethodReferenceExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.TextBlockLiteralExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.expr.TypeExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.BreakStmt;
import com.github.javaparser.ast.stmt.CatchClause;
import com.github.javaparser.ast.stmt.ContinueStmt;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.EmptyStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.SwitchEntry;
import com.github.javaparser.ast.stmt.SwitchStmt;
import com.github.javaparser.ast.stmt.ThrowStmt;
import com.github.javaparser.ast.stmt.TryStmt;
import com.github.javaparser.ast.stmt.WhileStmt;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.PrimitiveType;
import com.github.javaparser.ast.type.Type;
import com.github.javaparser.ast.type.VarType;
import com.github.javaparser.ast.type.VoidType;
import com.github.javaparser.ast.type.WildcardType;
import io.github.cdsengine.core.policy.CodeNames.Function;
import io.github.cdsengine.core.problem.RuleProblem;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides rule code on its Java syntax tree, deny by default. Each fragment of a rule file
 * (a constraint's expressions, an {@code eval}, a {@code from} or accumulate expression, a
 * consequence, a function body) is parsed with JavaParser, and every name in it is resolved the
 * way the compiler would: a local variable, a bound {@code $variable}, a global, a function the
 * rule set declares, a property of the pattern's fact, or a member of a type. A name that does
 * not resolve is refused, so names the rule engine generates into compiled code (the rule context,
 * value resolvers, tuples) are unreachable. A call, field read or constructor is allowed only on a
 * type the allow-list allows, when the member is not refused, and when what it returns is a type
 * rule code may hold: an allowed type's method that hands out a {@code Class}, a {@code URL} or a
 * {@code Thread} is refused, so allowed values cannot lead to refused ones. Anonymous and local
 * classes, lambdas, class literals, {@code synchronized} and {@code switch} expressions are refused.
 *
 * <p>One instance checks one file; it is not shared between threads.
 */
final class CodeCheck {

  /** Calls a consequence may make without a receiver: the rule engine's working memory verbs. */
  private static final Set<String> CONSEQUENCE_VERBS = Set.of("insert", "insertLogical",
      "delete", "retract", "update");

  private final JavaParser parser = new JavaParser(
      new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));
  private final String file;
  private final CodeNames names;
  private final Set<RuleProblem> problems = new LinkedHashSet<>();
  /** The file line of the fragment's first line, while one is being checked. */
  private int baseLine = 1;
  /** Whether the fragment being checked is evaluated with MVEL ({@link Scope#dynamic}). */
  private boolean erasing;

  CodeCheck(String file, CodeNames names) {
    this.file = file;
    this.names = names;
  }

  List<RuleProblem> problems() {
    return List.copyOf(problems);
  }

  CodeNames names() {
    return names;
  }

  /** Variables in scope, and the fact a constraint reads its properties from. */
  static final class Scope {
    private final Scope parent;
    private final Map<String, CodeType> variables = new HashMap<>();
    private final CodeType self;
    private final boolean consequence;
    /**
     * Whether the rule engine evaluates code here with MVEL, which finds methods and properties
     * by name on the object it holds at run time instead of through a checked cast: type
     * arguments are then not trusted (a raw list can hold anything), and each value counts as
     * its erasure.
     */
    private final boolean dynamic;

    private Scope(Scope parent, CodeType self, boolean consequence, boolean dynamic) {
      this.parent = parent;
      this.self = self;
      this.consequence = consequence;
      this.dynamic = dynamic;
    }

    static Scope root() {
      return new Scope(null, null, false, false);
    }

    Scope child() {
      return new Scope(this, self, consequence, dynamic);
    }

    /** A scope whose unqualified names and calls may be the properties of {@code fact}. */
    Scope constraintOn(CodeType fact) {
      return new Scope(this, fact, false, true);
    }

    /** A scope of code the rule engine evaluates with MVEL ({@code from}, accumulate). */
    Scope dynamic() {
      return new Scope(this, self, false, true);
    }

    /** A scope where the working-memory verbs ({@code insert}, ...) may be called. */
    Scope consequence() {
      return new Scope(this, null, true, false);
    }

    void define(String name, CodeType type) {
      variables.put(name, type);
    }

    Optional<CodeType> lookup(String name) {
      for (Scope s = this; s != null; s = s.parent) {
        if (s.variables.containsKey(name)) {
          return Optional.ofNullable(s.variables.get(name));
        }
      }
      return Optional.empty();
    }

    /** The names this scope itself binds (not its parents'). */
    Set<String> bound() {
      return variables.keySet();
    }

    boolean defines(String name) {
      for (Scope s = this; s != null; s = s.parent) {
        if (s.variables.containsKey(name)) {
          return true;
        }
      }
      return false;
    }
  }

  /** A refusal at the fragment's line {@code line} (1-based) or at a node. */
  void refuse(int line, String reason) {
    problems.add(new RuleProblem(file, Math.max(1, line), reason));
  }

  private void refuse(Node at, String reason) {
    int line = at.getRange().map(r -> r.begin.line).orElse(1);
    refuse(baseLine + line - 1, reason);
  }

  // ---------------------------------------------------------------- entry points

  /**
   * The type of the expression {@code text}, which starts on file line {@code line}; refusals are
   * recorded. Empty when the expression is refused or cannot be typed.
   */
  Optional<CodeType> expression(String text, int line, Scope scope) {
    baseLine = line;
    erasing = scope.dynamic;
    ParseResult<Expression> parsed = parser.parseExpression(normalise(text));
    if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
      refuse(line + problemLine(parsed.getProblems()) - 1, "this expression cannot be read as "
          + "Java: " + firstProblem(parsed.getProblems()) + " (inline casts '#' and other "
          + "MVEL-only syntax are refused)");
      return Optional.empty();
    }
    return Optional.ofNullable(type(parsed.getResult().get(), scope));
  }

  /** Checks the statements {@code text} (a consequence or a function body). */
  void statements(String text, int line, Scope scope) {
    baseLine = line;
    erasing = false;
    ParseResult<BlockStmt> parsed = parser.parseBlock("{" + modifyBlocks(text) + "\n}");
    if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
      refuse(line + problemLine(parsed.getProblems()) - 1, "this code cannot be read as Java: "
          + firstProblem(parsed.getProblems()) + " (modify blocks and other MVEL-only syntax "
          + "are refused; facts are records: insert a new fact)");
      return;
    }
    statement(parsed.getResult().get(), scope);
  }

  /** The type a DRL type name ({@code List}, {@code java.util.List<Observation>}) stands for. */
  Optional<CodeType> typeName(String text, int line) {
    baseLine = line;
    ParseResult<Type> parsed = parser.parseType(text.trim());
    if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
      refuse(line, "'" + text.trim() + "' cannot be read as a type");
      return Optional.empty();
    }
    return Optional.ofNullable(type(parsed.getResult().get()));
  }

  /**
   * The consequence with each {@code modify (fact) { setA(x), setB(y) }} block written as the
   * Java it stands for, {@code { update(fact); (fact).setA(x); (fact).setB(y); }}, on as many lines
   * as the block had, so that its calls are decided like any other. Text in strings and comments
   * is left alone.
   */
  static String modifyBlocks(String text) {
    boolean[] code = codeMask(text);
    StringBuilder out = new StringBuilder();
    int copied = 0;
    int at = 0;
    while (true) {
      int start = text.indexOf("modify", at);
      if (start < 0) {
        break;
      }
      at = start + 6;
      if (!code[start] || (start > 0 && Character.isJavaIdentifierPart(text.charAt(start - 1)))) {
        continue;
      }
      int open = skipSpace(text, start + 6);
      if (open >= text.length() || text.charAt(open) != '(' || !code[open]) {
        continue;
      }
      int close = matching(text, code, open, '(', ')');
      int brace = close < 0 ? -1 : skipSpace(text, close + 1);
      if (brace < 0 || brace >= text.length() || text.charAt(brace) != '{' || !code[brace]) {
        continue;
      }
      int end = matching(text, code, brace, '{', '}');
      if (end < 0) {
        continue;
      }
      String fact = "(" + text.substring(open + 1, close) + ")";
      StringBuilder block = new StringBuilder("{ update").append(fact).append(";");
      for (int[] part : splitTopLevel(text, code, brace + 1, end)) {
        int first = part[0];
        while (first < part[1] && (!code[first] || Character.isWhitespace(text.charAt(first)))
            && !(text.charAt(first) == '"' || text.charAt(first) == '\'')) {
          first++;
        }
        int last = part[1] - 1;
        while (last >= first && (!code[last] || Character.isWhitespace(text.charAt(last)))) {
          last--;
        }
        if (last < first) {
          block.append(blankLines(text.substring(part[0], part[1])));
          continue;
        }
        // Comments and line breaks around the call stay where they were, outside it.
        block.append(blankLines(text.substring(part[0], first))).append(fact).append('.')
            .append(text, first, last + 1).append(';')
            .append(blankLines(text.substring(last + 1, part[1])));
      }
      block.append(" }");
      long lines = text.substring(start, end + 1).chars().filter(c -> c == '\n').count();
      long written = block.chars().filter(c -> c == '\n').count();
      block.append("\n".repeat((int) Math.max(0, lines - written)));
      out.append(text, copied, start).append(block);
      copied = end + 1;
      at = end + 1;
    }
    return out.append(text.substring(copied)).toString();
  }

  /** For each character of {@code text}, whether it is code (not in a string or comment). */
  private static boolean[] codeMask(String text) {
    boolean[] code = new boolean[text.length()];
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < text.length() && text.charAt(j) != c && text.charAt(j) != '\n') {
          j += text.charAt(j) == '\\' ? 2 : 1;
        }
        i = Math.min(text.length(), j + 1);
      } else if (text.startsWith("//", i)) {
        int j = text.indexOf('\n', i);
        i = j < 0 ? text.length() : j;
      } else if (text.startsWith("/*", i)) {
        int j = text.indexOf("*/", i + 2);
        i = j < 0 ? text.length() : j + 2;
      } else {
        code[i] = true;
        i++;
      }
    }
    return code;
  }

  private static int skipSpace(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int matching(String text, boolean[] code, int open, char up, char down) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      if (!code[i]) {
        continue;
      }
      if (text.charAt(i) == up) {
        depth++;
      } else if (text.charAt(i) == down && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /** Only the line breaks of {@code text}, so that what follows keeps its line. */
  private static String blankLines(String text) {
    return "\n".repeat((int) text.chars().filter(c -> c == '\n').count()) + " ";
  }

  private static List<int[]> splitTopLevel(String text, boolean[] code, int from, int to) {
    List<int[]> parts = new ArrayList<>();
    int depth = 0;
    int start = from;
    for (int i = from; i < to; i++) {
      if (!code[i]) {
        continue;
      }
      char c = text.charAt(i);
      if (c == '(' || c == '{' || c == '[') {
        depth++;
      } else if (c == ')' || c == '}' || c == ']') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(new int[] {start, i});
        start = i + 1;
      }
    }
    parts.add(new int[] {start, to});
    return parts;
  }

  private static String normalise(String text) {
    // MVEL's null-safe navigation reads a member the same way; only the null test differs.
    return text.replace("!.", ".");
  }

  private static int problemLine(List<Problem> found) {
    return found.stream().findFirst().flatMap(Problem::getLocation)
        .flatMap(l -> l.getBegin().getRange()).map(r -> r.begin.line).orElse(1);
  }

  private static String firstProblem(List<Problem> found) {
    String message = found.stream().findFirst().map(Problem::getMessage).orElse("unreadable");
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  // ---------------------------------------------------------------- types named in code

  private CodeType type(Type type) {
    if (type instanceof PrimitiveType p) {
      return names.type(p.asString()).orElse(null);
    }
    if (type instanceof VoidType) {
      return CodeType.of(void.class);
    }
    if (type instanceof ArrayType a) {
      CodeType component = type(a.getComponentType());
      if (component == null) {
        return null;
      }
      if (component.raw() == null) {
        return CodeType.of(Object[].class);
      }
      return CodeType.of(Array.newInstance(component.raw(), 0).getClass());
    }
    if (type instanceof WildcardType w) {
      return w.getExtendedType().map(this::type).orElse(CodeType.OBJECT);
    }
    if (type instanceof ClassOrInterfaceType c) {
      String name = c.getNameWithScope();
      Optional<CodeType> found = names.type(name);
      if (found.isEmpty()) {
        refuse(type, "type " + name + " is refused: rule code may use the fact model, its "
            + "rule pack's helpers, java.time and a named set of java.lang and java.util "
            + "classes, and the types its rule set declares" + why(name));
        return null;
      }
      List<CodeType> args = new ArrayList<>();
      for (Type arg : c.getTypeArguments().orElse(new com.github.javaparser.ast.NodeList<>())) {
        CodeType a = type(arg);
        if (a == null) {
          return null;
        }
        args.add(a);
      }
      CodeType base = found.get();
      return args.isEmpty() || base.raw() == null ? base
          : new CodeType(base.raw(), List.copyOf(args), null);
    }
    if (type instanceof VarType) {
      return null;
    }
    if (type instanceof com.github.javaparser.ast.type.UnionType u) {
      // A multi-catch: each alternative is checked; the parameter is their common supertype,
      // counted as RuntimeException since only unchecked exceptions may be caught.
      for (Type alternative : u.getElements()) {
        type(alternative);
      }
      return CodeType.of(RuntimeException.class);
    }
    refuse(type, "type " + type + " is refused in rule code");
    return null;
  }

  /** The allow-list's reason a name is refused, when it gives one. */
  private String why(String name) {
    String simple = name.substring(name.lastIndexOf('.') + 1);
    String reason = RuleAllowList.REFUSED_CLASSES.get(simple);
    if (reason == null && name.contains(".")) {
      reason = RuleAllowList.packageReason(name.substring(0, name.lastIndexOf('.'))).orElse(null);
    }
    return reason == null ? "" : " (" + reason + ")";
  }

  // ---------------------------------------------------------------- statements

  private void statement(Statement statement, Scope scope) {
    if (statement instanceof BlockStmt b) {
      Scope inner = scope.child();
      b.getStatements().forEach(s -> statement(s, inner));
    } else if (statement instanceof ExpressionStmt e) {
      type(e.getExpression(), scope);
    } else if (statement instanceof IfStmt i) {
      type(i.getCondition(), scope);
      statement(i.getThenStmt(), scope.child());
      i.getElseStmt().ifPresent(s -> statement(s, scope.child()));
    } else if (statement instanceof WhileStmt w) {
      type(w.getCondition(), scope);
      statement(w.getBody(), scope.child());
    } else if (statement instanceof DoStmt d) {
      statement(d.getBody(), scope.child());
      type(d.getCondition(), scope);
    } else if (statement instanceof ForStmt f) {
      Scope inner = scope.child();
      f.getInitialization().forEach(e -> type(e, inner));
      f.getCompare().ifPresent(e -> type(e, inner));
      f.getUpdate().forEach(e -> type(e, inner));
      statement(f.getBody(), inner);
    } else if (statement instanceof ForEachStmt f) {
      forEach(f, scope);
    } else if (statement instanceof ReturnStmt r) {
      r.getExpression().ifPresent(e -> type(e, scope));
    } else if (statement instanceof ThrowStmt t) {
      type(t.getExpression(), scope);
    } else if (statement instanceof SwitchStmt s) {
      CodeType selector = type(s.getSelector(), scope);
      Scope inner = scope.child();
      for (SwitchEntry entry : s.getEntries()) {
        for (Expression label : entry.getLabels()) {
          if (!(label instanceof NameExpr n && selector != null && selector.raw() != null
              && selector.raw().isEnum() && enumConstant(selector.raw(), n.getNameAsString()))) {
            type(label, scope);
          }
        }
        entry.getStatements().forEach(st -> statement(st, inner));
      }
    } else if (statement instanceof TryStmt t) {
      if (!t.getResources().isEmpty()) {
        refuse(t, "try-with-resources is refused: rule code opens no resources");
      }
      statement(t.getTryBlock(), scope);
      for (CatchClause c : t.getCatchClauses()) {
        Scope inner = scope.child();
        CodeType caught = type(c.getParameter().getType());
        if (caught != null && caught.raw() != null
            && !RuntimeException.class.isAssignableFrom(caught.raw())) {
          refuse(c, "only unchecked exceptions may be caught in rule code; errors (stack "
              + "overflow, out of memory) and the engine's bounds are not for rules to catch");
        }
        inner.define(c.getParameter().getNameAsString(), caught);
        statement(c.getBody(), inner);
      }
      t.getFinallyBlock().ifPresent(b -> statement(b, scope));
    } else if (statement instanceof com.github.javaparser.ast.stmt.LabeledStmt l) {
      statement(l.getStatement(), scope);
    } else if (statement instanceof BreakStmt || statement instanceof ContinueStmt
        || statement instanceof EmptyStmt) {
      // nothing to decide
    } else {
      refuse(statement, kind(statement) + " is refused in rule code"
          + (statement.isLocalClassDeclarationStmt() || statement.isLocalRecordDeclarationStmt()
              ? ": declare types with 'declare', code with 'function'" : "")
          + (statement.isSynchronizedStmt() ? ": it can deadlock the evaluating threads" : ""));
    }
  }

  private void forEach(ForEachStmt loop, Scope scope) {
    CodeType iterable = type(loop.getIterable(), scope);
    CodeType element = null;
    if (iterable != null && iterable.raw() != null) {
      if (iterable.raw().isArray()) {
        element = CodeType.of(iterable.raw().getComponentType());
      } else if (Iterable.class.isAssignableFrom(iterable.raw())) {
        element = CodeType.of(Iterable.class.getTypeParameters()[0],
            iterable.bindingsFor(Iterable.class));
      } else {
        refuse(loop.getIterable(), "a for loop needs an array or a collection here, not "
            + iterable.display());
      }
    }
    Scope inner = scope.child();
    for (VariableDeclarator v : loop.getVariable().getVariables()) {
      CodeType declared = v.getType().isVarType() ? element : type(v.getType());
      inner.define(v.getNameAsString(), declared);
    }
    statement(loop.getBody(), inner);
  }

  private static String kind(Node node) {
    return node.getClass().getSimpleName().replace("Stmt", " statement")
        .replace("Expr", " expression");
  }

  // ---------------------------------------------------------------- expressions

  /**
   * The type of {@code e} when a member is used on it; null when it has none this check can
   * follow, and then a refusal is recorded: a value whose type is not known must not have its
   * members called or read, since nothing could then be decided about them.
   */
  private CodeType known(Expression e, Scope scope) {
    int before = problems.size();
    CodeType type = type(e, scope);
    if ((type == null || type.raw() == void.class) && problems.size() == before) {
      refuse(e, "the type of '" + e + "' cannot be told here, so nothing may be called on it "
          + "or read from it");
    }
    return type == null || type.raw() == void.class ? null : type;
  }

  /** The static type of {@code e}, or null when it is refused or cannot be followed. */
  CodeType type(Expression e, Scope scope) {
    if (e instanceof StringLiteralExpr) {
      return CodeType.STRING;
    } else if (e instanceof TextBlockLiteralExpr) {
      refuse(e, "text blocks are refused in rule code: the rule engine's reader of actions does "
          + "not know them and could read their text as code; concatenate strings");
      return CodeType.STRING;
    } else if (e instanceof IntegerLiteralExpr) {
      return CodeType.of(int.class);
    } else if (e instanceof LongLiteralExpr) {
      return CodeType.of(long.class);
    } else if (e instanceof DoubleLiteralExpr d) {
      String v = d.getValue();
      return CodeType.of(v.endsWith("f") || v.endsWith("F") ? float.class : double.class);
    } else if (e instanceof CharLiteralExpr) {
      return CodeType.of(char.class);
    } else if (e instanceof BooleanLiteralExpr) {
      return CodeType.BOOLEAN;
    } else if (e instanceof NullLiteralExpr) {
      return CodeType.NULL;
    } else if (e instanceof EnclosedExpr en) {
      return type(en.getInner(), scope);
    } else if (e instanceof NameExpr n) {
      return name(n, scope);
    } else if (e instanceof ThisExpr t) {
      if (scope.self == null || t.getTypeName().isPresent()) {
        refuse(e, "'this' is refused here: it names the pattern's fact in a constraint only");
        return null;
      }
      return scope.self;
    } else if (e instanceof FieldAccessExpr f) {
      return fieldAccess(f, scope);
    } else if (e instanceof MethodCallExpr m) {
      return call(m, scope);
    } else if (e instanceof ObjectCreationExpr o) {
      return create(o, scope);
    } else if (e instanceof ArrayCreationExpr a) {
      CodeType element = type(a.getElementType());
      a.getLevels().forEach(l -> l.getDimension().ifPresent(d -> type(d, scope)));
      a.getInitializer().ifPresent(i -> type(i, scope));
      if (element == null) {
        return null;
      }
      Class<?> array = element.lookupClass();
      for (int i = 0; i < a.getLevels().size(); i++) {
        array = Array.newInstance(array, 0).getClass();
      }
      return CodeType.of(array);
    } else if (e instanceof ArrayInitializerExpr i) {
      i.getValues().forEach(v -> type(v, scope));
      return null;
    } else if (e instanceof ArrayAccessExpr a) {
      return index(a, scope);
    } else if (e instanceof BinaryExpr b) {
      return binary(b, scope);
    } else if (e instanceof UnaryExpr u) {
      CodeType operand = type(u.getExpression(), scope);
      return u.getOperator() == UnaryExpr.Operator.LOGICAL_COMPLEMENT ? CodeType.BOOLEAN
          : operand;
    } else if (e instanceof ConditionalExpr c) {
      type(c.getCondition(), scope);
      CodeType then = type(c.getThenExpr(), scope);
      CodeType otherwise = type(c.getElseExpr(), scope);
      return then == null || then.isNull() ? otherwise : then;
    } else if (e instanceof CastExpr c) {
      type(c.getExpression(), scope);
      return type(c.getType());
    } else if (e instanceof InstanceOfExpr i) {
      type(i.getExpression(), scope);
      CodeType tested = type(i.getType());
      i.getPattern().ifPresent(p -> p.findFirst(com.github.javaparser.ast.expr.SimpleName.class)
          .ifPresent(name -> scope.define(name.asString(), tested)));
      return CodeType.BOOLEAN;
    } else if (e instanceof AssignExpr a) {
      return assign(a, scope);
    } else if (e instanceof VariableDeclarationExpr v) {
      for (VariableDeclarator d : v.getVariables()) {
        CodeType value = d.getInitializer().map(init -> type(init, scope)).orElse(null);
        CodeType declared = d.getType().isVarType() ? value : type(d.getType());
        if (value != null && value.raw() == void.class) {
          refuse(d, "'" + d.getInitializer().get() + "' gives no value to hold");
        } else if (value != null && declared != null && !declared.accepts(value)) {
          refuse(d, "'" + d.getNameAsString() + "' is a " + declared.display() + "; '"
              + d.getInitializer().get() + "' gives a " + value.display());
        }
        scope.define(d.getNameAsString(), declared);
      }
      return null;
    } else if (e instanceof MethodReferenceExpr r) {
      return methodReference(r, scope);
    }
    refuse(e, refusedKind(e));
    return null;
  }

  private static String refusedKind(Expression e) {
    if (e.isLambdaExpr()) {
      return "lambdas are refused in rule code: write the code in a function, or a loop";
    }
    if (e.isClassExpr()) {
      return "class literals are refused: Class is reflection";
    }
    if (e.isSuperExpr()) {
      return "'super' is refused in rule code";
    }
    if (e.isSwitchExpr()) {
      return "switch expressions are refused in rule code: use if and else";
    }
    return kind(e) + " is refused in rule code";
  }

  private CodeType name(NameExpr n, Scope scope) {
    String name = n.getNameAsString();
    if (scope.self != null && hasProperty(scope.self, name)
        && (scope.defines(name) || names.global(name).isPresent())) {
      // MVEL reads the fact's property where Java would read the variable or global.
      refuse(n, "'" + name + "' is refused here: it names both "
          + (scope.defines(name) ? "a variable" : "a global") + " and a property of the "
          + "pattern's fact; rename the " + (scope.defines(name) ? "variable" : "global"));
      return null;
    }
    if (scope.defines(name)) {
      return scope.lookup(name).orElse(null);
    }
    Optional<CodeType> global = names.global(name);
    if (global.isPresent()) {
      return global.get();
    }
    if (scope.self != null) {
      Optional<CodeType> property = property(scope.self, name, n, false);
      if (property != null && property.isPresent()) {
        return property.get();
      }
    }
    refuse(n, "'" + name + "' is not a name this rule code may use: names are the rule's bound "
        + "variables, the globals, local variables"
        + (scope.self != null ? ", the properties of the pattern's fact" : "")
        + " and allowed types"
        + (RuleAllowList.REFUSED_WORDS.containsKey(name)
            ? " (" + RuleAllowList.REFUSED_WORDS.get(name) + ")" : ""));
    return null;
  }

  /** The static type {@code e} names when it is a type name rather than a value. */
  private Optional<CodeType> asTypeName(Expression e, Scope scope) {
    String text;
    if (e instanceof NameExpr n) {
      text = n.getNameAsString();
      if (scope.defines(text) || names.global(text).isPresent()
          || (scope.self != null && hasProperty(scope.self, text))) {
        return Optional.empty();
      }
    } else if (e instanceof FieldAccessExpr f && isNameChain(f)) {
      Expression root = f;
      while (root instanceof FieldAccessExpr fa) {
        root = fa.getScope();
      }
      String first = ((NameExpr) root).getNameAsString();
      if (scope.defines(first) || names.global(first).isPresent()
          || (scope.self != null && hasProperty(scope.self, first))) {
        return Optional.empty();
      }
      text = f.toString();
    } else if (e instanceof TypeExpr t) {
      return Optional.ofNullable(type(t.getType()));
    } else {
      return Optional.empty();
    }
    return names.type(text);
  }

  private static boolean isNameChain(Expression e) {
    return e instanceof NameExpr
        || (e instanceof FieldAccessExpr f && isNameChain(f.getScope()));
  }

  private CodeType fieldAccess(FieldAccessExpr f, Scope scope) {
    String member = f.getNameAsString();
    Optional<CodeType> owner = asTypeName(f.getScope(), scope);
    if (owner.isPresent()) {
      return staticField(owner.get(), member, f);
    }
    if (isNameChain(f) && !startsWithValue(f, scope)) {
      Optional<CodeType> whole = names.type(f.toString());
      if (whole.isPresent()) {
        refuse(f, "a type is not a value: " + f);
        return null;
      }
      refuse(f, "'" + f + "' is refused: it names no variable and no allowed type"
          + why(f.toString()));
      return null;
    }
    CodeType value = known(f.getScope(), scope);
    if (value == null) {
      return null;
    }
    if (value.raw() != null && value.raw().isArray() && member.equals("length")) {
      return CodeType.of(int.class);
    }
    Optional<CodeType> property = property(value, member, f, true);
    return property == null ? null : property.orElse(null);
  }

  private boolean startsWithValue(Expression e, Scope scope) {
    Expression root = e;
    while (root instanceof FieldAccessExpr fa) {
      root = fa.getScope();
    }
    if (!(root instanceof NameExpr n)) {
      return true;
    }
    String first = n.getNameAsString();
    return scope.defines(first) || names.global(first).isPresent()
        || (scope.self != null && hasProperty(scope.self, first));
  }

  private CodeType staticField(CodeType owner, String member, Node at) {
    if (owner.declared() != null || owner.raw() == null) {
      refuse(at, owner.display() + " has no static field " + member);
      return null;
    }
    Field field;
    try {
      field = owner.raw().getField(member);
    } catch (NoSuchFieldException e) {
      refuse(at, owner.display() + " has no public field " + member);
      return null;
    }
    if (!Modifier.isStatic(field.getModifiers())) {
      refuse(at, owner.display() + "." + member + " is not static");
      return null;
    }
    return checkedResult(field, CodeType.of(field.getGenericType(), Map.of()), owner, at);
  }

  private boolean enumConstant(Class<?> type, String name) {
    try {
      return type.getField(name).isEnumConstant();
    } catch (NoSuchFieldException e) {
      return false;
    }
  }

  /** Whether {@code type} has a public method named {@code name}, of any arity. */
  private static boolean hasMethodNamed(CodeType type, String name) {
    if (type.declared() != null) {
      for (String field : type.declared().fields().keySet()) {
        String capitalised = Character.toUpperCase(field.charAt(0)) + field.substring(1);
        if (name.equals("get" + capitalised) || name.equals("is" + capitalised)
            || name.equals("set" + capitalised)) {
          return true;
        }
      }
      return false;
    }
    for (Method m : publicMethods(type.lookupClass())) {
      if (m.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private boolean hasProperty(CodeType type, String name) {
    if (type.declared() != null) {
      return type.declared().fields().containsKey(name);
    }
    Class<?> c = type.lookupClass();
    return accessor(c, name) != null || publicField(c, name) != null;
  }

  /**
   * A property of {@code owner} as DRL reads one: a declared type's field, a record component, a
   * {@code getX()} or {@code isX()} getter, a public no-argument method of that name or a public
   * field. Null (not empty) when a refusal was recorded; empty when there is no such property and
   * {@code required} is false.
   */
  private Optional<CodeType> property(CodeType owner, String name, Node at, boolean required) {
    if (owner.declared() != null) {
      CodeType field = owner.declared().fields().get(name);
      if (field == null && required) {
        refuse(at, owner.display() + " has no field " + name);
        return null;
      }
      return Optional.ofNullable(field);
    }
    if (owner.isNull()) {
      refuse(at, "null has no property " + name);
      return null;
    }
    Class<?> c = owner.lookupClass();
    List<Method> accessors = accessors(c, name);
    if (!accessors.isEmpty()) {
      // MVEL takes the first of getX(), isX() and x() that exists, and Java code may name any of
      // them: each is checked, and the property's type is MVEL's choice.
      CodeType chosen = null;
      boolean refusedOne = false;
      for (Method accessor : accessors) {
        CodeType type = checkedCall(List.of(accessor), owner, List.of(), at);
        refusedOne |= type == null;
        if (chosen == null) {
          chosen = type;
        }
      }
      return refusedOne ? null : Optional.ofNullable(chosen);
    }
    Field field = publicField(c, name);
    if (field != null && !Modifier.isStatic(field.getModifiers())) {
      return Optional.ofNullable(checkedResult(field,
          CodeType.of(field.getGenericType(), bindings(owner, field.getDeclaringClass())),
          owner, at));
    }
    if (required) {
      refuse(at, owner.display() + " has no property " + name);
      return null;
    }
    return Optional.empty();
  }

  private static Method accessor(Class<?> c, String name) {
    List<Method> found = accessors(c, name);
    return found.isEmpty() ? null : found.get(0);
  }

  /** The no-argument instance methods {@code getX()}, {@code isX()} and {@code x()}, in order. */
  private static List<Method> accessors(Class<?> c, String name) {
    String capitalised = name.isEmpty() ? name
        : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    List<Method> found = new ArrayList<>();
    for (String candidate : List.of("get" + capitalised, "is" + capitalised, name)) {
      for (Method m : publicMethods(c)) {
        if (m.getName().equals(candidate) && m.getParameterCount() == 0
            && !Modifier.isStatic(m.getModifiers())) {
          found.add(m);
          break;
        }
      }
    }
    return found;
  }

  private static Field publicField(Class<?> c, String name) {
    try {
      return c.getField(name);
    } catch (NoSuchFieldException e) {
      return null;
    }
  }

  private static List<Method> publicMethods(Class<?> c) {
    // A bridge that stands beside the method it bridges (a covariant return) is left out; a
    // bridge that makes a non-public superclass's method public (StringBuilder.length) is the
    // method itself.
    Method[] all = c.getMethods();
    List<Method> methods = new ArrayList<>();
    for (Method m : all) {
      boolean twin = false;
      if (m.isBridge()) {
        for (Method other : all) {
          twin |= other != m && !other.isBridge() && other.getName().equals(m.getName())
              && List.of(other.getParameterTypes()).equals(List.of(m.getParameterTypes()));
        }
      }
      if (!twin) {
        methods.add(m);
      }
    }
    if (c.isInterface()) {
      methods.addAll(List.of(Object.class.getMethods()));
    }
    return methods;
  }

  private CodeType index(ArrayAccessExpr a, Scope scope) {
    CodeType target = known(a.getName(), scope);
    type(a.getIndex(), scope);
    if (target == null || target.raw() == null) {
      return null;
    }
    if (target.raw().isArray()) {
      return CodeType.of(target.raw().getComponentType());
    }
    if (List.class.isAssignableFrom(target.raw())) {
      return CodeType.of(List.class.getTypeParameters()[0], bindings(target, List.class));
    }
    if (Map.class.isAssignableFrom(target.raw())) {
      return CodeType.of(Map.class.getTypeParameters()[1], bindings(target, Map.class));
    }
    refuse(a, target.display() + " cannot be indexed");
    return null;
  }

  private CodeType binary(BinaryExpr b, Scope scope) {
    CodeType left = type(b.getLeft(), scope);
    CodeType right = type(b.getRight(), scope);
    switch (b.getOperator()) {
      case OR, AND, EQUALS, NOT_EQUALS, LESS, GREATER, LESS_EQUALS, GREATER_EQUALS:
        return CodeType.BOOLEAN;
      case PLUS:
        if ((left != null && left.raw() == String.class)
            || (right != null && right.raw() == String.class)) {
          identityText(left, b.getLeft());
          identityText(right, b.getRight());
          return CodeType.STRING;
        }
        return numeric(left, right);
      default:
        return numeric(left, right);
    }
  }

  /** Methods that turn their argument at an index into text, by class, name and index. */
  private static final Map<String, Integer> TEXT_OF_ARGUMENT = Map.of(
      "java.lang.String.valueOf(java.lang.Object)", 0,
      "java.util.Objects.toString(java.lang.Object)", 0,
      "java.util.Objects.toString(java.lang.Object,java.lang.String)", 0,
      "java.lang.StringBuilder.append(java.lang.Object)", 0,
      "java.lang.StringBuilder.insert(int,java.lang.Object)", 1);

  /** Methods that hash their argument at an index. */
  private static final Map<String, Integer> HASH_OF_ARGUMENT = Map.of(
      "java.util.Objects.hashCode(java.lang.Object)", 0);

  /**
   * For a method that turns an argument into text or a hash, refuses the argument when its text
   * or hash may be an identity hash, judged by its static type.
   */
  private void valueOfArguments(Method m, List<CodeType> args, Node at) {
    String key = m.getDeclaringClass().getName() + "." + m.getName() + "("
        + String.join(",", java.util.Arrays.stream(m.getParameterTypes()).map(Class::getName)
            .toList()) + ")";
    Integer text = TEXT_OF_ARGUMENT.get(key);
    if (text != null && text < args.size() && args.get(text) != null
        && !valueText(args.get(text))) {
      refuse(at, key.substring(0, key.indexOf('(')) + " is refused here: its argument is a "
          + args.get(text).display() + ", whose text may be an identity hash that differs "
          + "between runs");
    }
    Integer hash = HASH_OF_ARGUMENT.get(key);
    if (hash != null && hash < args.size() && args.get(hash) != null
        && !valueHash(args.get(hash))) {
      refuse(at, key.substring(0, key.indexOf('(')) + " is refused here: its argument is a "
          + args.get(hash).display() + ", whose hash may be an identity hash that differs "
          + "between runs");
    }
  }

  /** Whether values of {@code type} give text from their value, never an identity hash. */
  private static boolean valueText(CodeType type) {
    if (type.raw() == null) {
      return type.declared() != null || type.isNull();
    }
    Class<?> c = type.raw();
    if (c.isPrimitive()) {
      return true;
    }
    if (c.isInterface()) {
      return valueBasedInterface(c);
    }
    try {
      return c.getMethod("toString").getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** Whether values of {@code type} give a hash from their value, never an identity hash. */
  private static boolean valueHash(CodeType type) {
    if (type.raw() == null) {
      return type.isNull();
    }
    Class<?> c = type.raw();
    if (c.isPrimitive()) {
      return true;
    }
    if (c.isEnum() || Enum.class.isAssignableFrom(c)) {
      return false;
    }
    if (c.isInterface()) {
      return valueBasedInterface(c);
    }
    try {
      return c.getMethod("hashCode").getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /**
   * Refuses turning into text a value whose text may be an identity hash, which differs between
   * runs: one typed {@code Object} (or an interface Object's text stands for), or of a class
   * that does not define {@code toString}.
   */
  private void identityText(CodeType operand, Expression at) {
    if (operand == null || operand.raw() == null || operand.raw().isPrimitive()) {
      return;
    }
    Class<?> c = operand.raw();
    boolean ownText;
    try {
      ownText = !c.isInterface() && c.getMethod("toString").getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException e) {
      ownText = false;
    }
    boolean known = ownText || CharSequence.class.isAssignableFrom(c)
        || java.util.Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c)
        || java.util.Optional.class == c;
    if (!known) {
      refuse(at, "'" + at + "' is a " + operand.display() + ", whose text may be an identity "
          + "hash that differs between runs; turn a value of a known type into text");
    }
  }

  private static CodeType numeric(CodeType left, CodeType right) {
    if (left == null || right == null || left.raw() == null || right.raw() == null) {
      return left;
    }
    Class<?> l = left.raw().isPrimitive() ? left.raw() : CodeType.unwrap(left.raw());
    Class<?> r = right.raw().isPrimitive() ? right.raw() : CodeType.unwrap(right.raw());
    if (l == null || r == null) {
      return left;
    }
    if (l == boolean.class) {
      return CodeType.BOOLEAN;
    }
    for (Class<?> wide : List.of(double.class, float.class, long.class)) {
      if (l == wide || r == wide) {
        return CodeType.of(wide);
      }
    }
    return CodeType.of(int.class);
  }

  private CodeType assign(AssignExpr a, Scope scope) {
    CodeType value = type(a.getValue(), scope);
    Expression target = a.getTarget();
    if (target instanceof NameExpr n && scope.defines(n.getNameAsString())) {
      return scope.lookup(n.getNameAsString()).orElse(value);
    }
    if (target instanceof ArrayAccessExpr arrayAccess) {
      return type(arrayAccess, scope);
    }
    refuse(a, "only local variables and array elements may be assigned in rule code; facts "
        + "are records: insert a new fact");
    return null;
  }

  private CodeType methodReference(MethodReferenceExpr r, Scope scope) {
    Optional<CodeType> owner = asTypeName(r.getScope(), scope);
    CodeType target = owner.orElseGet(() -> type(r.getScope(), scope));
    if (target == null) {
      return null;
    }
    String method = r.getIdentifier();
    if (method.equals("new")) {
      if (target.raw() != null && (target.raw().isInterface()
          || Modifier.isAbstract(target.raw().getModifiers())
          || target.raw().getConstructors().length == 0)) {
        refuse(r, target.display() + " has no public constructor");
      }
      return null;
    }
    if (target.declared() != null) {
      if (!declaredMember(target, method)) {
        refuse(r, target.display() + " has no method " + method);
      }
      return null;
    }
    List<Method> candidates = new ArrayList<>();
    for (Method m : publicMethods(target.lookupClass())) {
      if (m.getName().equals(method)) {
        candidates.add(m);
      }
    }
    if (candidates.isEmpty()) {
      refuse(r, target.display() + " has no public method " + method);
      return null;
    }
    for (Method m : candidates) {
      checkedResult(m, CodeType.of(m.getGenericReturnType(),
          bindings(target, m.getDeclaringClass())), target, r);
    }
    // The functional interface it becomes is the called method's parameter type.
    return null;
  }

  private boolean declaredMember(CodeType type, String method) {
    for (String field : type.declared().fields().keySet()) {
      String capitalised = Character.toUpperCase(field.charAt(0)) + field.substring(1);
      if (method.equals("get" + capitalised) || method.equals("is" + capitalised)
          || method.equals("set" + capitalised)) {
        return true;
      }
    }
    return Set.of("equals", "hashCode", "toString").contains(method);
  }

  private CodeType create(ObjectCreationExpr o, Scope scope) {
    if (o.getAnonymousClassBody().isPresent()) {
      refuse(o, "anonymous classes are refused in rule code: their bodies are code the rule "
          + "engine never names; declare types with 'declare', code with 'function'");
      return null;
    }
    if (o.getScope().isPresent()) {
      refuse(o, "qualified 'new' is refused in rule code");
      return null;
    }
    List<CodeType> args = new ArrayList<>();
    o.getArguments().forEach(a -> args.add(type(a, scope)));
    CodeType created = type(o.getType());
    if (created == null) {
      return null;
    }
    if (created.declared() != null) {
      int fields = created.declared().fields().size();
      if (!args.isEmpty() && args.size() != fields) {
        refuse(o, created.display() + " is built with no arguments or with all " + fields
            + " fields in order");
      }
      return created;
    }
    Class<?> c = created.raw();
    if (c == Object.class) {
      refuse(o, "new Object() is refused: its only use in rule code is its identity, whose hash "
          + "and text differ between runs");
      return null;
    }
    if (c.isInterface() || Modifier.isAbstract(c.getModifiers()) || c.isPrimitive()) {
      refuse(o, c.getName() + " cannot be created with new");
      return null;
    }
    List<Constructor<?>> matching = new ArrayList<>();
    for (Constructor<?> k : c.getConstructors()) {
      if (arityMatches(k.getParameterCount(), k.isVarArgs(), args.size())) {
        matching.add(k);
      }
    }
    if (matching.isEmpty()) {
      refuse(o, c.getName() + " has no public constructor taking " + args.size()
          + " argument" + (args.size() == 1 ? "" : "s"));
      return null;
    }
    return created;
  }

  // ---------------------------------------------------------------- calls

  private CodeType call(MethodCallExpr m, Scope scope) {
    String name = m.getNameAsString();
    List<CodeType> args = new ArrayList<>();
    m.getArguments().forEach(a -> args.add(type(a, scope)));
    if (m.getTypeArguments().isPresent()) {
      m.getTypeArguments().get().forEach(this::type);
    }
    if (m.getScope().isEmpty()) {
      return unqualifiedCall(m, name, args, scope);
    }
    Expression target = m.getScope().get();
    Optional<CodeType> owner = asTypeName(target, scope);
    if (owner.isPresent()) {
      return method(owner.get(), name, args, true, m);
    }
    CodeType receiver = known(target, scope);
    if (receiver == null) {
      return null;
    }
    return method(receiver, name, args, false, m);
  }

  private CodeType unqualifiedCall(MethodCallExpr m, String name, List<CodeType> args,
      Scope scope) {
    if (scope.consequence && CONSEQUENCE_VERBS.contains(name) && args.size() == 1) {
      // The verbs hand back the fact's handle, which leads to the session: they are statements.
      if (!(m.getParentNode().orElse(null) instanceof ExpressionStmt)) {
        refuse(m, name + "(...) is a statement in rule code: what it returns (the fact's "
            + "handle) leads to the session");
      }
      return CodeType.of(void.class);
    }
    Optional<Function> function = names.function(name);
    if (scope.self != null && (function.isPresent() || names.staticImport(name).isPresent())
        && hasMethodNamed(scope.self, name)) {
      // MVEL calls the fact's own method where Java would call the function: refused, so that
      // what is checked is what runs.
      refuse(m, "'" + name + "(...)' is refused here: it names both a "
          + (function.isPresent() ? "function of the rule set" : "statically imported method")
          + " and a method of the pattern's fact; rename the function");
      return null;
    }
    if (function.isPresent()) {
      List<CodeType> parameters = function.get().parameters();
      if (parameters.size() != args.size()) {
        refuse(m, "function " + name + " takes " + parameters.size() + " arguments, not "
            + args.size());
      }
      return function.get().returns();
    }
    Optional<Class<?>> imported = names.staticImport(name);
    if (imported.isPresent()) {
      return method(CodeType.of(imported.get()), name, args, true, m);
    }
    if (scope.self != null && scope.self.declared() == null) {
      return method(scope.self, name, args, false, m);
    }
    refuse(m, "'" + name + "(...)' is refused: an unqualified call must name a function the "
        + "rule set declares" + (scope.consequence ? " or insert, delete or update" : "")
        + (scope.self != null ? " or a method of the pattern's fact" : "")
        + (RuleAllowList.REFUSED_MEMBERS.containsKey(name)
            ? " (" + RuleAllowList.REFUSED_MEMBERS.get(name) + ")" : ""));
    return null;
  }

  private CodeType method(CodeType receiver, String name, List<CodeType> args, boolean statics,
      Node at) {
    if (receiver.declared() != null) {
      boolean setter = name.startsWith("set") && args.size() == 1;
      if (statics || !declaredMember(receiver, name) || (!args.isEmpty() && !setter)
          || (name.startsWith("set") && args.size() != 1)) {
        refuse(at, receiver.display() + " has no method " + name + " taking " + args.size()
            + " arguments; a declared type has a getter and a setter for each field");
        return null;
      }
      if (setter) {
        return CodeType.of(void.class);
      }
      if (name.equals("hashCode")) {
        refuse(at, receiver.display() + ".hashCode is refused: it may hold identity hashes, which "
            + "differ between runs");
        return null;
      }
      if (name.equals("equals")) {
        return CodeType.BOOLEAN;
      }
      if (name.equals("toString")) {
        return CodeType.STRING;
      }
      for (Map.Entry<String, CodeType> field : receiver.declared().fields().entrySet()) {
        String capitalised = Character.toUpperCase(field.getKey().charAt(0))
            + field.getKey().substring(1);
        if (name.equals("get" + capitalised) || name.equals("is" + capitalised)) {
          return field.getValue();
        }
      }
      refuse(at, receiver.display() + " has no getter " + name);
      return null;
    }
    if (receiver.isNull()) {
      refuse(at, "a method called on null");
      return null;
    }
    Class<?> c = receiver.lookupClass();
    List<Method> byArity = new ArrayList<>();
    for (Method candidate : publicMethods(c)) {
      if (candidate.getName().equals(name)
          && arityMatches(candidate.getParameterCount(), candidate.isVarArgs(), args.size())
          && (!statics || Modifier.isStatic(candidate.getModifiers()))) {
        byArity.add(candidate);
      }
    }
    if (byArity.isEmpty()) {
      Optional<String> refused = RuleAllowList.REFUSED_MEMBERS.containsKey(name)
          ? Optional.of(RuleAllowList.REFUSED_MEMBERS.get(name)) : Optional.empty();
      refuse(at, receiver.display() + " has no public " + (statics ? "static " : "")
          + "method " + name + " taking " + args.size() + " argument"
          + (args.size() == 1 ? "" : "s") + refused.map(r -> " (" + r + ")").orElse(""));
      return null;
    }
    List<Method> applicable = new ArrayList<>();
    for (Method candidate : byArity) {
      if (applicable(candidate, args)) {
        applicable.add(candidate);
      }
    }
    List<Method> chosen = mostSpecific(applicable.isEmpty() ? byArity : applicable);
    for (Method m : chosen) {
      valueOfArguments(m, args, at);
    }
    return checkedCall(chosen, receiver, args, at);
  }

  /** The type arguments {@code receiver} gives {@code declaring}'s type variables; none in MVEL. */
  private Map<TypeVariable<?>, CodeType> bindings(CodeType receiver, Class<?> declaring) {
    return erasing ? new HashMap<>() : receiver.bindingsFor(declaring);
  }

  /** Checks every candidate; the type of the first. */
  private CodeType checkedCall(List<Method> candidates, CodeType receiver, List<CodeType> args,
      Node at) {
    CodeType result = null;
    boolean first = true;
    for (Method m : candidates) {
      Map<TypeVariable<?>, CodeType> bindings = bindings(receiver, m.getDeclaringClass());
      if (!erasing) {
        infer(m, args, bindings);
      }
      CodeType returns = checkedResult(m, CodeType.of(m.getGenericReturnType(), bindings),
          receiver, at);
      if (first) {
        result = returns;
        first = false;
      }
    }
    return result;
  }

  /**
   * Whether {@code member} (read on a value of {@code receiver}) may be used, and its type when it
   * may; null, with the refusal recorded, when it may not.
   */
  private CodeType checkedResult(java.lang.reflect.Member member, CodeType result,
      CodeType receiver, Node at) {
    String shown = receiver.display() + "." + member.getName();
    Optional<String> refused = CodeNames.refusedMember(member);
    if (refused.isEmpty() && member instanceof Method m && m.getDeclaringClass() == Object.class
        && (m.getName().equals("hashCode") || m.getName().equals("toString"))
        && receiver.raw() != null && !valueBasedInterface(receiver.lookupClass())) {
      refused = Optional.of("Object's own " + m.getName() + " gives the object's identity hash, "
          + "which differs between runs; call it on a value whose type defines it");
    }
    if (refused.isPresent()) {
      refuse(at, shown + " is refused: " + refused.get());
      return null;
    }
    if (!names.allowed(receiver.lookupClass()) && receiver.declared() == null) {
      refuse(at, shown + " is refused: values of " + receiver.display()
          + " are not for rule code");
      return null;
    }
    if (result.raw() != void.class && !names.allowed(result)) {
      refuse(at, shown + " is refused: it gives a " + result.display() + ", which rule code "
          + "may not hold" + why(result.lookupClass().getName()));
      return null;
    }
    return result;
  }

  /**
   * Whether {@code type} is an interface whose implementations give text and hashes from their
   * values (collections, maps, character sequences, and the fact model's interfaces, which
   * records implement); not Comparable or a functional interface, behind which an enum's identity
   * hash or a lambda's identity can stand.
   */
  private static boolean valueBasedInterface(Class<?> type) {
    return type.isInterface() && (java.util.Collection.class.isAssignableFrom(type)
        || Map.class.isAssignableFrom(type) || Map.Entry.class.isAssignableFrom(type)
        || CharSequence.class.isAssignableFrom(type)
        || type.getPackageName().startsWith("io.github.cdsengine."));
  }

  private static boolean arityMatches(int parameters, boolean varArgs, int args) {
    return parameters == args || (varArgs && args >= parameters - 1);
  }

  private static boolean applicable(Method m, List<CodeType> args) {
    Class<?>[] parameters = m.getParameterTypes();
    for (int i = 0; i < args.size(); i++) {
      Class<?> p;
      if (m.isVarArgs() && i >= parameters.length - 1) {
        p = parameters[parameters.length - 1];
        if (args.size() != parameters.length || (args.get(i) != null && args.get(i).raw() != null
            && !args.get(i).raw().isArray())) {
          p = p.getComponentType();
        }
      } else {
        p = parameters[i];
      }
      if (args.get(i) != null && !CodeType.of(p).accepts(args.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static List<Method> mostSpecific(List<Method> candidates) {
    List<Method> best = new ArrayList<>();
    for (Method m : candidates) {
      boolean beaten = false;
      for (Method other : candidates) {
        if (other != m && moreSpecific(other, m) && !moreSpecific(m, other)) {
          beaten = true;
          break;
        }
      }
      if (!beaten && best.stream().noneMatch(b -> sameSignature(b, m))) {
        best.add(m);
      }
    }
    return best;
  }

  private static boolean moreSpecific(Method a, Method b) {
    Class<?>[] pa = a.getParameterTypes();
    Class<?>[] pb = b.getParameterTypes();
    if (pa.length != pb.length) {
      return false;
    }
    for (int i = 0; i < pa.length; i++) {
      if (!CodeType.of(pb[i]).accepts(CodeType.of(pa[i]))) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameSignature(Method a, Method b) {
    return a.getName().equals(b.getName())
        && List.of(a.getParameterTypes()).equals(List.of(b.getParameterTypes()));
  }

  /** Binds a generic method's type variables that a parameter names directly. */
  private static void infer(Method m, List<CodeType> args,
      Map<TypeVariable<?>, CodeType> bindings) {
    if (m.getTypeParameters().length == 0) {
      return;
    }
    java.lang.reflect.Type[] parameters = m.getGenericParameterTypes();
    for (int i = 0; i < parameters.length && i < args.size(); i++) {
      CodeType arg = args.get(i);
      if (arg == null || arg.isNull()) {
        continue;
      }
      java.lang.reflect.Type p = parameters[i];
      if (m.isVarArgs() && i == parameters.length - 1
          && p instanceof java.lang.reflect.GenericArrayType g) {
        p = g.getGenericComponentType();
      }
      if (p instanceof TypeVariable<?> v && List.of(m.getTypeParameters()).contains(v)) {
        bindings.putIfAbsent(v, arg.isPrimitive() ? CodeType.of(CodeType.wrapper(arg.raw()))
            : arg);
      } else if (p instanceof ParameterizedType pt && arg.raw() != null) {
        java.lang.reflect.Type[] actual = pt.getActualTypeArguments();
        Map<TypeVariable<?>, CodeType> argBindings =
            arg.bindingsFor((Class<?>) pt.getRawType());
        TypeVariable<?>[] formal = ((Class<?>) pt.getRawType()).getTypeParameters();
        for (int k = 0; k < actual.length && k < formal.length; k++) {
          java.lang.reflect.Type a = actual[k];
          if (a instanceof java.lang.reflect.WildcardType w) {
            a = w.getUpperBounds()[0];
          }
          if (a instanceof TypeVariable<?> v && List.of(m.getTypeParameters()).contains(v)
              && argBindings.containsKey(formal[k])) {
            bindings.putIfAbsent(v, argBindings.get(formal[k]));
          }
        }
      }
    }
  }
}
