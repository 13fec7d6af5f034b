package dev.signet.cli;

import picocli.CommandLine.Option;

/** {@code --output text|json}, shared by the commands that print an answer about one subject. */
final class OutputFormat {
  enum Format {
    text,
    json
  }

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      paramLabel = "FORMAT",
      description = "text (for people, default) or json (for programs).")
  Format format;

  boolean json() {
    return format == Format.json;
  }
}
