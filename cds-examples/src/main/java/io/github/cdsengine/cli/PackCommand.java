package io.github.cdsengine.cli;

import io.github.cdsengine.core.pack.PackSigningKey;
import io.github.cdsengine.core.pack.RulePack;
import io.github.cdsengine.core.pack.TrustedKeys;
import io.github.cdsengine.core.problem.RuleProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cds pack}: make a signing key, sign a rule pack's folder, verify a signed one. The
 * signature is {@code pack.sig} beside {@code pack.json}, as {@link RulePack} describes it.
 */
@Command(name = "pack", mixinStandardHelpOptions = true,
    versionProvider = CdsCli.Version.class,
    description = "Sign rule packs and verify their signatures.",
    subcommands = {PackCommand.Keygen.class, PackCommand.Sign.class, PackCommand.Verify.class})
final class PackCommand implements Runnable {

  /** The private key file {@code keygen} writes. */
  static final String PRIVATE_KEY = "private.jwk";
  /** The public key set {@code keygen} writes. */
  static final String PUBLIC_KEYS = "public.jwks";

  @Spec
  private CommandSpec spec;

  /** With no subcommand, says which exist. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "a command is required: keygen, sign or verify");
  }

  /** The pack whose manifest is {@code folder}/pack.json, read as {@code --rules} reads it. */
  static RulePack load(Path folder) {
    Path manifest = folder.resolve("pack.json");
    if (!Files.isRegularFile(manifest)) {
      throw new UsageException("PACKDIR: no pack.json in " + folder);
    }
    return RuleSources.read(List.of(manifest), "PACKDIR").packs().get(0).pack();
  }

  /** {@code cds pack keygen}: a new P-256 key pair. */
  @Command(name = "keygen", mixinStandardHelpOptions = true,
      versionProvider = CdsCli.Version.class,
      description = {"Generate a pack signing key: DIR/" + PRIVATE_KEY + " (the private JWK, "
          + "readable by its owner only; keep it secret) and DIR/" + PUBLIC_KEYS + " (the "
          + "public key as a JWK set, for --trust)."})
  static final class Keygen implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", required = true,
        description = "Directory to write the key files to; created if absent.")
    private Path out;


    @Override
    public Integer call() {
      Path privateKey = out.resolve(PRIVATE_KEY);
      Path publicKeys = out.resolve(PUBLIC_KEYS);
      for (Path file : List.of(privateKey, publicKeys)) {
        if (Files.exists(file)) {
          throw new UsageException("--out: " + file + " exists; a key is never overwritten");
        }
      }
      PackSigningKey key = PackSigningKey.generate();
      try {
        Files.createDirectories(out);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
          Files.createFile(privateKey, PosixFilePermissions.asFileAttribute(
              PosixFilePermissions.fromString("rw-------")));
        } else {
          Files.createFile(privateKey);
        }
        Files.writeString(privateKey, key.toJwk() + "\n", StandardCharsets.UTF_8);
        Files.writeString(publicKeys, key.trustedKeys().toJwkSet() + "\n",
            StandardCharsets.UTF_8);
      } catch (FileAlreadyExistsException e) {
        throw new UsageException("--out: " + e.getFile() + " exists; a key is never overwritten");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      PrintWriter output = spec.commandLine().getOut();
      output.println("key " + key.keyId());
      output.println("private key: " + privateKey + " (keep it secret)");
      output.println("public key:  " + publicKeys + " (give it to --trust)");
      return 0;
    }
  }

  /** {@code cds pack sign}: writes pack.sig. */
  @Command(name = "sign", mixinStandardHelpOptions = true,
      versionProvider = CdsCli.Version.class,
      description = {"Sign the rule pack in PACKDIR: write PACKDIR/pack.sig, a JWS (ES256) over "
          + "the pack's id, version and the SHA-256 of every file it loads."})
  static final class Sign implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--key", paramLabel = "JWK", required = true,
        description = "The private key, a JWK file as pack keygen writes it.")
    private Path key;

    @Parameters(paramLabel = "PACKDIR", description = "The folder holding the pack.json.")
    private Path folder;


    @Override
    public Integer call() {
      if (!Files.isRegularFile(key)) {
        throw new UsageException("--key: no such file: " + key);
      }
      PackSigningKey signingKey;
      try {
        signingKey = PackSigningKey.read(key);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--key: " + e.getMessage());
      }
      RulePack pack = load(folder);
      Path signature = folder.resolve(RulePack.SIGNATURE);
      try {
        Files.writeString(signature, signingKey.sign(pack) + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      spec.commandLine().getOut().println("signed " + pack.id() + "@" + pack.version() + ": "
          + pack.files().digests().size() + " files, key " + signingKey.keyId() + ", "
          + signature);
      return 0;
    }
  }

  /** {@code cds pack verify}: exit 0 when valid, 1 with the reasons when not. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      versionProvider = CdsCli.Version.class,
      description = {"Verify the rule pack in PACKDIR: its pack.sig is a valid signature by a "
          + "trusted key over exactly the files it loads, and the folder holds no other rule or "
          + "value-set file. Exits 0 when valid, 1 with the reasons when not."})
  static final class Verify implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--trust", paramLabel = "JWKS",
        description = "JWK set of public keys whose signatures are accepted (repeatable).")
    private List<Path> trust = new ArrayList<>();

    @Option(names = "--trust-shipped",
        description = "Trust the shipped packs' build key as well.")
    private boolean trustShipped;

    @Parameters(paramLabel = "PACKDIR", description = "The folder holding the pack.json.")
    private Path folder;


    @Override
    public Integer call() {
      TrustedKeys keys = SigningOptions.trustedKeys(trust, trustShipped, "--trust");
      RulePack pack = load(folder);
      List<String> problems = new ArrayList<>();
      keys.check(pack).stream().map(PackCommand::describe).forEach(problems::add);
      problems.addAll(strayFiles(pack));
      PrintWriter out = spec.commandLine().getOut();
      if (problems.isEmpty()) {
        out.println("valid: " + pack.id() + "@" + pack.version() + ", "
            + pack.files().digests().size() + " files signed by a trusted key");
        return 0;
      }
      PrintWriter err = spec.commandLine().getErr();
      err.println("invalid: " + pack.id() + "@" + pack.version() + ":");
      problems.forEach(problem -> err.println("  " + problem));
      return 1;
    }

    /**
     * The rule and value-set files under the folder that the pack does not load: {@code --rules
     * PACKDIR} would load them as well, unsigned.
     */
    private List<String> strayFiles(RulePack pack) {
      Set<Path> signed = new HashSet<>();
      Path base = folder.toAbsolutePath().normalize();
      pack.files().digests().keySet().forEach(p -> signed.add(base.resolve(p).normalize()));
      List<String> stray = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(base)) {
        walk.filter(Files::isRegularFile).map(Path::normalize).sorted()
            .filter(p -> p.toString().endsWith(".drl") || p.toString().endsWith(".json"))
            .filter(p -> !signed.contains(p))
            .forEach(p -> stray.add(Paths.display(p) + ": not part of rule pack '" + pack.id()
                + "@" + pack.version() + "' and not signed; --rules " + folder
                + " would load it as well"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return stray;
    }
  }

  private static String describe(RuleProblem problem) {
    return problem.file() + (problem.line() > 0 ? ":" + problem.line() : "") + ": "
        + problem.message();
  }
}
