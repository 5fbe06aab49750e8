package io.github.cdsengine.cli;

import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.problem.RuleSetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code cds} command line: {@code run}, {@code test}, {@code validate} and {@code batch}
 * over patients, scenario files and rule files, and {@code pack} to sign and verify rule packs.
 *
 * <p>Exit codes: 0 when all went well; 1 when a scenario failed or a rule file has a problem; 2
 * for a usage or input error (a bad flag, path, date or file), reported as one line on standard
 * error; 3 for an internal error. {@code --verbose} adds the stack trace of an error.
 */
@Command(name = "cds",
    mixinStandardHelpOptions = true,
    versionProvider = CdsCli.Version.class,
    description = "Clinical decision support rules: evaluate patients, test scenarios, "
        + "validate rule files, run populations.",
    subcommands = {RunCommand.class, TestCommand.class, ValidateCommand.class,
        BatchCommand.class, PackCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:all went well",
        "1:a scenario failed or a rule file has a problem",
        "2:usage or input error (bad flag, path, date or file)",
        "3:internal error"})
public final class CdsCli implements Runnable {

  /** Exit code for a usage or input error. */
  static final int USAGE = 2;
  /** Exit code for an internal error. */
  static final int INTERNAL = 3;

  private final Clock clock;

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  /** A command line that reads "now" from {@code clock}, the one use of a clock in evaluation. */
  CdsCli(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Runs the command line and exits with its exit code.
   *
   * @param args the command and its arguments; {@code --help} lists them
   */
  public static void main(String[] args) {
    System.exit(commandLine(Clock.systemUTC()).execute(args));
  }

  /** The configured command line; tests give it their own clock and writers. */
  static CommandLine commandLine(Clock clock) {
    CdsCli cli = new CdsCli(clock);
    CommandLine commandLine = new CommandLine(cli);
    commandLine.setParameterExceptionHandler(CdsCli::usageError);
    commandLine.setExecutionExceptionHandler(CdsCli::executionError);
    return commandLine;
  }

  /** The clock that {@code --at now} reads. */
  Clock clock() {
    return clock;
  }

  /** With no subcommand, says which exist. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "a command is required: run, test, validate, batch or pack");
  }

  /** One line naming the problem and where to read more, not the whole usage text. */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    String name = command.getCommandSpec().qualifiedName();
    err.println(name + ": " + e.getMessage() + " (see " + name + " --help)");
    err.flush();
    return USAGE;
  }

  private static int executionError(Exception e, CommandLine command,
      CommandLine.ParseResult parseResult) {
    PrintWriter err = command.getErr();
    String name = command.getCommandSpec().qualifiedName() + ": ";
    int code;
    if (e instanceof UsageException || e instanceof InvalidDataException) {
      err.println(name + e.getMessage());
      code = USAGE;
    } else if (e instanceof RuleSetException rules) {
      err.println(name + "the rules do not build:");
      rules.problems().forEach(problem -> err.println("  " + problem));
      code = USAGE;
    } else if (e instanceof UncheckedIOException io) {
      err.println(name + "cannot read or write: " + io.getCause().getMessage());
      code = USAGE;
    } else {
      err.println(name + "internal error: " + e + " (--verbose shows the stack trace)");
      code = INTERNAL;
    }
    if (command.getParseResult().hasMatchedOption("--verbose")) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** The project version, from a resource the build fills in. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      Properties properties = new Properties();
      try (InputStream in = CdsCli.class.getResourceAsStream("/cds-cli.properties")) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new String[] {"cds " + properties.getProperty("version", "(unknown version)")};
    }
  }
}
