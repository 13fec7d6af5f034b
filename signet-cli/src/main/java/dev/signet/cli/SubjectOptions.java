package dev.signet.cli;

import java.nio.file.Path;
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
          "The image: host[:port]/repository[:tag|@sha256:<hex>], or repository@sha256:<hex> in an"
              + " OCI layout.")
  String subject;
}
