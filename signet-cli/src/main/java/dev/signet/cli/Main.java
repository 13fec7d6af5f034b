package dev.signet.cli;

import dev.signet.cli.demo.DemoCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code signet} command line. */
@Command(
    name = "signet",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Verifies Notary Project signatures of container images.",
    subcommands = {
      VerifyCommand.class,
      ResolveCommand.class,
      DiscoverCommand.class,
      ReferrerCommand.class,
      ServeCommand.class,
      DemoCommand.class
    })
public final class Main implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Where raw bytes ({@code referrer show-blob}) go; null when stdout is only a text writer. */
  private final OutputStream rawOut;

  /** A command line whose raw content can only go through the text writer. */
  public Main() {
    this(null);
  }

  private Main(OutputStream rawOut) {
    this.rawOut = rawOut;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (0 verified, 1 failed, 2 usage or config). */
  public static int run(String... args) {
    return configure(new CommandLine(new Main(System.out))).execute(args);
  }

  /**
   * Runs the command line with stdout and stderr going to these writers; returns the exit code.
   * Raw content ({@code referrer show-manifest|show-blob}) is written as UTF-8 text when it is
   * valid UTF-8; anything else must go to a file ({@code --output-file}).
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = configure(new CommandLine(new Main(null)));
    cli.setOut(out);
    cli.setErr(err);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static CommandLine configure(CommandLine cli) {
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("signet: " + e.getMessage());
          return ExitCodes.USAGE;
        });
    giveTheVersionTo(cli);
    return cli;
  }

  /** {@code --version} works on every command, not only on {@code signet} itself. */
  private static void giveTheVersionTo(CommandLine cli) {
    cli.getCommandSpec().versionProvider(new Version());
    cli.getSubcommands().values().forEach(Main::giveTheVersionTo);
  }

  /** A command that only groups subcommands: without one, its usage on stderr and exit 2. */
  static int subcommandRequired(CommandLine.Model.CommandSpec spec) {
    CommandLine cli = spec.commandLine();
    cli.getErr().println(spec.qualifiedName() + ": a command is required");
    cli.usage(cli.getErr());
    return ExitCodes.USAGE;
  }

  /** Writes content byte for byte to the command's stdout. */
  static void writeRaw(CommandLine.Model.CommandSpec spec, byte[] content) throws CommandFailure {
    PrintWriter out = spec.commandLine().getOut();
    out.flush();
    Object root = spec.root().userObject();
    OutputStream raw = root instanceof Main m ? m.rawOut : null;
    if (raw != null) {
      try {
        raw.write(content);
        raw.flush();
      } catch (IOException e) {
        throw new CommandFailure(ExitCodes.FAILED, "cannot write to stdout: " + e.getMessage());
      }
      return;
    }
    try {
      out.print(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(content)));
      out.flush();
    } catch (CharacterCodingException e) {
      throw new CommandFailure(
          ExitCodes.USAGE, "the content is not UTF-8 text; write it to a file with --output-file");
    }
  }

  @Override
  public Integer call() {
    return subcommandRequired(spec);
  }

  /** The version the build wrote into {@code version.properties}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in == null) {
          throw new IOException("version.properties is missing from the build");
        }
        p.load(in);
      }
      return new String[] {"signet " + p.getProperty("version")};
    }
  }
}
