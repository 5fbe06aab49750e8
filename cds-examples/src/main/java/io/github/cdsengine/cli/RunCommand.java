package io.github.cdsengine.cli;

import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.json.ResultJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cds run}: patients through the rule packs, their ranked recommendations printed. */
@Command(name = "run", mixinStandardHelpOptions = true,
    versionProvider = CdsCli.Version.class,
    description = {"Evaluate patients and print their ranked recommendations.",
        "PATIENT is a FHIR Bundle or resource, an NDJSON file (.ndjson), a CDS Hooks request "
            + "or a scenario file, told apart by content; a directory is read for its .json "
            + "and .ndjson files."})
final class RunCommand implements Callable<Integer> {

  /** The output formats. */
  enum Format { table, json, cards }

  @ParentCommand
  private CdsCli cli;

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "PATIENT", arity = "1..*", description = "Patient files or "
      + "directories.")
  private List<Path> patients;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = {"table (default), json (one result a line) or cards (a line per patient: "
          + "a JSON object keyed by CDS Hooks service id, each value that service's response, "
          + "with its pack's suggestions).",
          "With cards, a CDS Hooks request is answered by the services of its hook, after "
              + "checking that it holds what the hook requires; other inputs by every service. "
              + "Cards of --rules files outside packs are under the key (rules)."})
  private Format format;

  @Option(names = "--explain", description = "With the table: each recommendation's matched "
      + "facts, rules and why it ranks where it does.")
  private boolean explain;

  @Mixin
  private TimeOptions time;

  @Mixin
  private InputFiles.Limit limit;

  @Mixin
  private EngineOptions engineOptions;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean atGiven = spec.commandLine().getParseResult().hasMatchedOption("--at");
    List<Path> files = PatientInputs.files(patients);
    files.forEach(file -> PatientInputs.kind(file, limit.bytes)); // a file of no known kind fails before the rules build
    EvaluationContext context = time.context(cli.clock());
    try (CdsEngine engine = engineOptions.build(err)) {
      noteMissingPeriod(engine, context, err);
      time.announce(context, err);
      if (format == Format.table) {
        ResultText.wrapped(out, "", "Rule packs: " + String.join(", ", engine.packs()));
        out.println();
      }
      ServiceCards cards = format == Format.cards ? serviceCards(engine) : null;
      for (Path file : files) {
        PatientInputs.read(file, limit.bytes, subject -> {
          EvaluationContext used = subject.context(context, atGiven);
          EvaluationResult result = subject.evaluate(engine, used);
          switch (format) {
            case json -> out.println(ResultJson.standard().write(result));
            case cards -> {
              if (subject.request() != null && !cards.answers(subject.request().hook())) {
                err.println("note: no loaded service answers the hook '"
                    + subject.request().hook() + "' of " + subject.source());
              }
              out.println(cards.answer(subject, result));
            }
            default -> ResultText.print(subject, used, result, explain, out);
          }
          out.flush();
        });
      }
    }
    return 0;
  }

  /** The services of the loaded packs; two with one id are a usage error naming both packs. */
  private ServiceCards serviceCards(CdsEngine engine) {
    try {
      return ServiceCards.of(engineOptions.loadedPacks(), engine.rules(),
          engineOptions.looseRules());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--format cards: " + e.getMessage());
    }
  }

  /** Measure packs compute nothing without a measurement period: say so once. */
  static void noteMissingPeriod(CdsEngine engine, EvaluationContext context, PrintWriter err) {
    if (!engine.measures().isEmpty() && context.measurementPeriod() == null) {
      err.println("note: no --period, so the measures ("
          + String.join(", ", engine.measures().stream().map(MeasureDefinition::id).toList())
          + ") compute no populations except in scenario files that set one");
    }
  }
}
