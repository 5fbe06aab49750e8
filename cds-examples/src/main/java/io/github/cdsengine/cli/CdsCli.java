package io.github.cdsengine.cli;

import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.problem.RuleSetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code cds} command line: {@code run}, {@code test}, {@code validate} and {@code batch}
 * over patients, scenario files and rule files, {@code diff} to compare two rule sets over one
 * cohort, {@code pack} to sign and verify rule packs, and {@code feedback} for the override
 * report over the feedback store.
 *
 * <p>Exit codes: 0 when all went well; 1 when a scenario failed, a rule file has a problem or
 * {@code diff} found changes past its limits; 2
 * for a usage or input error (a bad flag, path, date or file), reported as one line on standard
 * error; 3 for an internal error (any exception no command expected), reported as one line
 * naming the exception and where it was thrown, never its message, which may quote input. The
 * global option {@code --verbose} adds the stack trace. Everything written to standard output
 * and standard error passes through {@link TerminalText}, so no control character read from an
 * input reaches the terminal.
 */
@Command(name = "cds",
    mixinStandardHelpOptions = true,
    versionProvider = CdsCli.Version.class,
    description = "Clinical decision support rules: evaluate patients, test scenarios, "
        + "validate rule files, run populations.",
    subcommands = {RunCommand.class, TestCommand.class, ValidateCommand.class,
        BatchCommand.class, DiffCommand.class, PackCommand.class, FeedbackCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:all went well",
        "1:a scenario failed, a rule file has a problem, or diff's limits were exceeded",
        "2:usage or input error (bad flag, path, date or file)",
        "3:internal error"})
public final class CdsCli implements Runnable {

  /** Exit code for a failed scenario or a rule file with a problem. */
  static final int RULE_PROBLEM = 1;
  /** Exit code for a usage or input error. */
  static final int USAGE = 2;
  /** Exit code for an internal error. */
  static final int INTERNAL = 3;

  private final Clock clock;

  @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Print the stack trace of an error.")
  private boolean verbose;

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

  /**
   * Runs the command line in-process, as {@code main} does but without exiting, for a host or a
   * test that runs {@code cds} beside its own code.
   *
   * @param clock what {@code --at now} reads
   * @param out where standard output goes
   * @param err where standard error goes
   * @param args the arguments, as on the command line
   * @return the exit code
   */
  public static int execute(Clock clock, java.io.PrintWriter out, java.io.PrintWriter err,
      String... args) {
    CommandLine commandLine = commandLine(clock);
    commandLine.setOut(out);
    commandLine.setErr(err);
    return commandLine.execute(args);
  }

  /** The configured command line; tests give it their own clock and writers. */
  static CommandLine commandLine(Clock clock) {
    CdsCli cli = new CdsCli(clock);
    CommandLine commandLine = new CommandLine(cli);
    commandLine.setParameterExceptionHandler(CdsCli::usageError);
    commandLine.setExecutionExceptionHandler(CdsCli::executionError);
    commandLine.setExecutionStrategy(CdsCli::execute);
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
        "a command is required: run, test, validate, batch, diff, pack or feedback");
  }

  /** One line naming the problem and where to read more, not the whole usage text. */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    String name = command.getCommandSpec().qualifiedName();
    err.println(name + ": " + TerminalText.escape(e.getMessage()) + " (see " + name
        + " --help)");
    err.flush();
    return USAGE;
  }

  /**
   * Runs the command with its output and errors escaped for the terminal (help and version text,
   * which read no input, are printed first, as they are, colours included); an {@link Error}
   * (out of memory, a stack overflow) or an exception outside the command is an internal error
   * like any unexpected exception in it.
   */
  private static int execute(CommandLine.ParseResult parseResult) {
    CommandLine top = parseResult.commandSpec().commandLine();
    List<CommandLine> commands = parseResult.asCommandLineList();
    CommandLine last = commands.get(commands.size() - 1);
    try {
      if (CommandLine.printHelpIfRequested(parseResult)) {
        return last.getCommandSpec().exitCodeOnUsageHelp();
      }
      top.setOut(TerminalText.escaping(top.getOut()));
      top.setErr(TerminalText.escaping(top.getErr()));
      return new CommandLine.RunLast().execute(parseResult);
    } catch (CommandLine.ParameterException | CommandLine.ExecutionException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      return internalError(e, last, parseResult);
    }
  }

  private static int executionError(Exception e, CommandLine command,
      CommandLine.ParseResult parseResult) {
    PrintWriter err = command.getErr();
    String name = prefix(command);
    int code;
    try {
      if (e instanceof UsageException || e instanceof InvalidDataException) {
        err.println(name + TerminalText.escape(e.getMessage()));
        code = USAGE;
      } else if (e instanceof RuleSetException rules) {
        err.println(name + "the rules do not build:");
        rules.problems().forEach(problem -> err.println("  " + problem));
        code = RULE_PROBLEM;
      } else if (e instanceof UncheckedIOException io) {
        err.println(name + "cannot read or write: " + io.getCause().getMessage());
        code = USAGE;
      } else {
        return internalError(e, command, parseResult);
      }
    } catch (RuntimeException reporting) {
      return internalError(e, command, parseResult);
    }
    if (verbose(parseResult)) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /**
   * One line naming the exception's type and the frame that threw it, never its message (which
   * may quote patient data); the stack trace follows with {@code --verbose}.
   */
  private static int internalError(Throwable e, CommandLine command,
      CommandLine.ParseResult parseResult) {
    PrintWriter err = command.getErr();
    err.println(prefix(command) + "internal error: " + e.getClass().getName() + thrownAt(e)
        + (verbose(parseResult) ? "" : " (--verbose shows the stack trace)"));
    if (verbose(parseResult)) {
      e.printStackTrace(err);
    }
    err.flush();
    return INTERNAL;
  }

  private static String prefix(CommandLine command) {
    return command.getCommandSpec().qualifiedName() + ": ";
  }

  /** Where {@code e} was thrown: the first frame in this program's code, else the first. */
  static String thrownAt(Throwable e) {
    StackTraceElement[] trace = e.getStackTrace();
    if (trace.length == 0) {
      return "";
    }
    StackTraceElement at = trace[0];
    for (StackTraceElement frame : trace) {
      if (frame.getClassName().startsWith("io.github.cdsengine.")) {
        at = frame;
        break;
      }
    }
    String className = at.getClassName();
    return " in " + className.substring(className.lastIndexOf('.') + 1) + "."
        + at.getMethodName() + (at.getLineNumber() > 0 ? ":" + at.getLineNumber() : "");
  }

  /** Whether {@code --verbose} was given, before the command or after it. */
  private static boolean verbose(CommandLine.ParseResult parseResult) {
    for (CommandLine.ParseResult result = parseResult; result != null;
        result = result.subcommand()) {
      if (result.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
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
