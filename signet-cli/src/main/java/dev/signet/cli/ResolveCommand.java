package dev.signet.cli;

import dev.signet.json.StrictJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code signet resolve}: a tag (or digest) to the digest of the manifest it names. */
@Command(
    name = "resolve",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the digest of the image's manifest, read from the configured store: alone on one"
          + " line, or with -o json the subject's descriptor.",
      "Exit status: 0 resolved, 1 the subject could not be resolved, 2 usage or configuration error."
    })
final class ResolveCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin SubjectOptions options;

  @Mixin OutputFormat output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (SubjectLookup s = SubjectLookup.open(options, err)) {
      if (output.json()) {
        out.println(StrictJson.MAPPER.writeValueAsString(s.json()));
      } else {
        out.println(s.descriptor().digest());
      }
      out.flush();
      return ExitCodes.VERIFIED;
    } catch (CommandFailure e) {
      err.println("signet: " + e.getMessage());
      return e.exitCode();
    }
  }
}
