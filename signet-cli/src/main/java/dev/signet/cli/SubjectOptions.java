package dev.signet.cli;

import dev.signet.config.ConfigException;
import dev.signet.engine.VerificationConfig;
import dev.signet.reference.Reference;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/** {@code --config} and {@code --subject}, shared by the commands that work on one subject. */
final class SubjectOptions {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "CONFIG.json",
      description = "Ratify configuration file (store, policy, verifier, executor).")
  Path config;

  @Option(
      names = {"-s", "--subject"},
      required = true,
      paramLabel = "REF",
      description =
          "The image: host[:port]/repository[:tag|@sha256:<hex>], or repository[:tag|@sha256:<hex>]"
              + " in an OCI layout.")
  String subject;

  /**
   * Loads the configuration, printing its warnings on {@code err}.
   *
   * @throws CommandFailure exit 2 (usage) when it does not load
   */
  VerificationConfig load(PrintWriter err) throws CommandFailure {
    VerificationConfig loaded;
    try {
      loaded = VerificationConfig.load(config, VerificationConfig.Runtime.standard(Clock.systemUTC()));
    } catch (ConfigException e) {
      throw new CommandFailure(ExitCodes.USAGE, e.getMessage());
    }
    for (String w : loaded.warnings()) {
      err.println("signet: warning: " + w);
    }
    return loaded;
  }

  /**
   * The subject as a reference.
   *
   * @throws CommandFailure exit 2 (usage) when it is not a valid image reference
   */
  Reference reference() throws CommandFailure {
    try {
      return Reference.parse(subject);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(
          ExitCodes.USAGE,
          "the subject \""
              + subject
              + "\" is not a valid image reference ("
              + e.getMessage()
              + "); give host[:port]/repository[:tag|@sha256:<hex>], or"
              + " repository[:tag|@sha256:<hex>] in an OCI layout");
    }
  }
}
