package dev.signet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code signet} command line. */
@Command(
    name = "signet",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Verifies Notary Project signatures of container images.",
    subcommands = {VerifyCommand.class, ServeCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (0 verified, 1 failed, 2 usage or config). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("signet: " + e.getMessage());
          return ExitCodes.USAGE;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"signet " + (v == null ? "development build" : v)};
    }
  }
}
