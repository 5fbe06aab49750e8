package io.github.cdsengine.core;

import static io.github.cdsengine.core.PolicyProbes.policy;
import static io.github.cdsengine.core.PolicyProbes.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.pack.RuleFile;
import io.github.cdsengine.core.policy.RulePolicy;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What one evaluation computes must not reach the next on a pooled session. A rule whose first
 * condition is not a fact pattern (a collect, a from, an open query, not, accumulate, eval) hangs
 * off the session's initial tuple, which deleting an evaluation's facts does not clear: the engine
 * resets such sessions fully ({@code RulePolicy.rulesOnTheInitialTuple}). These rule files run
 * with the policy off, on several patients, one engine and the default session reuse; each
 * patient's evaluation stands alone. And the JVM's shared state that allowed types reach (the
 * string table, the unit converter's caches) is refused to rule code.
 */
class SessionCarryOverTest {

  private static final String HEADER = """
      package test.carryover;

      import io.github.cdsengine.core.model.*;
      import io.github.cdsengine.core.rule.*;
      import java.util.List;
      import java.util.ArrayList;
      import java.util.Map;
      import java.util.HashMap;
      import java.util.Collection;

      global io.github.cdsengine.core.terminology.ValueSets valueSets;
      """;

  private static PatientRecord patient(String id) {
    return PatientRecord.builder(new Patient(id, LocalDate.of(1970, 6, 15), null)).build();
  }

  /**
   * Builds {@code file} without the policy and evaluates the patients {@code ids} one after the
   * other on one engine; each evaluation's rule failures.
   */
  private static List<List<String>> runWithoutPolicy(RuleFile file, String... ids) {
    List<List<String>> out = new ArrayList<>();
    try (CdsEngine engine = CdsEngine.builder().withoutRulePolicy().addRules(file).build()) {
      for (String id : ids) {
        EvaluationResult result = engine.evaluate(patient(id), EngineEvaluationTest.JAN_2025);
        out.add(result.failures().stream().map(RuleFailure::error).toList());
      }
    }
    return out;
  }

  /**
   * session's initial tuple, which deleting the facts between evaluations does not remove; its
   * result collection is the accumulate node's own {@code ArrayList}, handed to the rule as a
   * mutable value. Whatever a rule adds to it survives into the next patient's evaluation on the
   * pooled session: Drools' collect removes only the facts it itself added.
   */
  @Test
  void collectResultIsSharedMutableStateThatOutlivesTheEvaluation() {
    RuleFile file = new RuleFile("collect-stash.drl", HEADER + rule("stash",
        "    $l : ArrayList() from collect( Patient() )\n    $p : Patient()",
        """
            String seen = "";
            for (Object o : $l) { if (o instanceof String) { seen = seen + (String) o + ";"; } }
            $l.add($p.id());
            throw new IllegalStateException("seen:" + seen);"""));
    assertThat(RulePolicy.rulesOnTheInitialTuple(List.of(file))).containsExactly("stash");
    List<List<String>> runs = runWithoutPolicy(file, "p1", "p2", "p3");
    // Each patient's evaluation sees an empty store: nothing of the earlier patients.
    for (List<String> run : runs) {
      assertThat(run).containsExactly("java.lang.IllegalStateException: seen:");
    }
  }

  /**
   * by identity: {@code s.intern() != s} tells whether any earlier code, such as the previous
   * patient's evaluation, interned an equal string. The JVM's string table is state shared by
   * every evaluation (and every engine) in the process; a rule can test candidate values (ids,
   * codes, names) against what earlier evaluations held.
   */
  @Test
  void internedStringsAreAnOracleForEarlierEvaluations() {
    RuleFile file = new RuleFile("intern.drl", HEADER + rule("intern", "    $p : Patient()",
        """
            String probe = new StringBuilder("leak-").append("p1").toString();
            boolean seen = probe.intern() != probe;
            String mine = ("leak-" + $p.id()).intern();
            throw new IllegalStateException("p1 seen before: " + seen);"""));
    assertThat(policy(file)).anySatisfy(p -> assertThat(p.message())
        .contains("the JVM's string table is shared by every evaluation"));
  }

  /**
   * Pooled-session state changes what the next evaluation sees (no attacker needed). An open
   * (pull-only) query call {@code ?q(...)} as a rule's first condition is pulled once for the
   * session's initial tuple; deleting the facts between evaluations leaves that tuple, so on a
   * reused session the rule never fires again: every later patient silently misses it. Under
   * {@code SessionReuse.RESET} it fires for each patient.
   */
  @Test
  void openQueryFiresOnlyForTheFirstPatientOfAPooledSession() {
    RuleFile file = new RuleFile("open-query.drl", HEADER + """
        query q(String $id)
            Patient( id == $id )
        end
        """ + rule("open", "    ?q( $x ; )", "    throw new IllegalStateException(\"x\" + $x);"));
    assertThat(policy(file)).isEmpty();
    List<List<String>> runs = runWithoutPolicy(file, "p1", "p2");
    assertThat(runs.get(0)).containsExactly("java.lang.IllegalStateException: xp1");
    assertThat(runs.get(1)).containsExactly("java.lang.IllegalStateException: xp2");
  }

  /**
   * a {@code from} expression makes for the session's initial tuple (a rule's first condition) is
   * made once per pooled session and kept, so a declared type's setter is a store that the next
   * patient's evaluation reads. A fix that only makes collect results unmodifiable misses this.
   */
  @Test
  void objectMadeByAFirstFromIsAStoreSharedByEvaluations() {
    RuleFile file = new RuleFile("from-store.drl", HEADER + """
        declare Box
            item : String
        end
        """ + rule("store", "    $b : Box() from new Box()\n    $p : Patient()", """
            String before = $b.getItem();
            $b.setItem($p.id());
            throw new IllegalStateException("previous patient: " + before);"""));
    List<List<String>> runs = runWithoutPolicy(file, "p1", "p2");
    assertThat(runs.get(1)).containsExactly("java.lang.IllegalStateException: previous patient: "
        + "null");
  }

  /**
   * Shared state changed for every later evaluation (low: performance only). {@code
   * UnitConverter.ucum()} is one converter for the whole JVM, and its unit and conversion caches
   * fill up to {@code CACHE_LIMIT} (4096) entries and are never evicted. One evaluation can fill
   * them with junk units, after which no real unit is ever cached again, in any engine of the
   * process. Not run here, so as not to poison the test JVM's converter.
   */
  @Test
  void sharedUnitConverterCachesCanBeFilledByOneEvaluation() {
    RuleFile file = new RuleFile("ucum-fill.drl", HEADER + """
        import io.github.cdsengine.core.units.UnitConverter;
        """ + rule("fill", "    Patient()", """
            UnitConverter ucum = UnitConverter.ucum();
            for (int i = 0; i < 5000; i++) {
                ucum.isValid("[junk" + i + "]");
            }"""));
    assertThat(policy(file)).anySatisfy(p -> assertThat(p.message())
        .contains("UnitConverter is refused"));
  }

  /**
   * Pooled-session state changes what the next evaluation sees (clinical safety; no attacker
   * needed). A rule whose conditions match no fact of the evaluation ({@code not Condition()},
   * an {@code accumulate} CE with a trailing test, {@code eval}, {@code from} a constant) matches
   * on the session's initial tuple, which survives {@code SessionReuse.DELETE_FACTS} (the
   * default): it fires for the first patient of each pooled session and never again, so later
   * patients silently lack its recommendation. It passes the policy and the build.
   */
  @Test
  void rulesOnTheInitialTupleFireOnlyForTheFirstPatientOfAPooledSession() {
    String[] whens = {"    not Condition()",
        "    accumulate( Condition(), $c : count(1); $c == 0 )",
        "    eval( true )"};
    for (String when : whens) {
      RuleFile file = new RuleFile("initial.drl", HEADER
          + rule("no condition", when, "    throw new IllegalStateException(\"fired\");"));
      assertThat(policy(file)).isEmpty();
      List<List<String>> runs = runWithoutPolicy(file, "p1", "p2");
      assertThat(runs.get(0)).as(when).containsExactly("java.lang.IllegalStateException: fired");
      assertThat(runs.get(1)).as(when).containsExactly("java.lang.IllegalStateException: fired");
    }
  }

  @Test
  void rulesStartingWithAFactExistsOrANotFollowedByAFactAreNotOnTheInitialTuple() {
    RuleFile file = new RuleFile("starts.drl", HEADER
        + rule("fact", "    Patient()", "")
        + rule("exists", "    exists Patient()\n    Condition()", "")
        + rule("not then fact", "    not Condition()\n    $p : Patient()", "")
        + rule("not alone", "    not Condition()", "")
        + rule("collect then fact", "    $l : ArrayList() from collect( Patient() )\n"
            + "    $p : Patient()", "")
        + rule("or of facts", "    Patient() or Condition()", "")
        + rule("or with a not", "    Patient() or not Condition()", "")
        + rule("nothing", "", ""));
    assertThat(RulePolicy.rulesOnTheInitialTuple(List.of(file)))
        .containsExactly("not alone", "collect then fact", "or with a not", "nothing");
  }
}
