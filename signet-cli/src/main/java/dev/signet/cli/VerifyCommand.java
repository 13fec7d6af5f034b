package dev.signet.cli;

import dev.signet.engine.VerificationConfig;
import dev.signet.json.StrictJson;
import dev.signet.oci.registry.RegistryStore;
import dev.signet.result.ResultJson;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code signet verify}: one subject in, one decision out. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verifies the signatures of one image against the trust policy of a Ratify config.json;"
          + " with -o json, prints Ratify's result shape.",
      "Exit status: 0 verified, 1 verification failed, 2 usage or configuration error."
    })
final class VerifyCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin SubjectOptions options;

  @Mixin OutputFormat output;

  @Option(
      names = {"-v", "--verbose"},
      description = "Also report on stderr how many requests each registry store sent, and"
          + " which cloud identity and tenant it authenticated with.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    VerificationConfig loaded;
    try {
      options.reference();
      loaded = options.load(err);
    } catch (CommandFailure e) {
      err.println("signet: " + e.getMessage());
      return e.exitCode();
    }
    VerificationResult result;
    try {
      result = loaded.executor().verify(options.subject);
      if (verbose) {
        for (int i = 0; i < loaded.stores().size(); i++) {
          if (loaded.stores().get(i) instanceof RegistryStore registry) {
            err.println("signet: store " + (i + 1) + " (oras): " + registry.requestCount()
                + " registry request(s)");
            if (!registry.identity().isEmpty()) {
              err.println("signet: store " + (i + 1) + " (oras): authenticated with " + registry.identity());
            }
          }
        }
      }
    } finally {
      loaded.close();
    }
    if (output.json()) {
      out.println(StrictJson.MAPPER.writeValueAsString(ResultJson.of(result)));
    } else {
      printText(out, result);
    }
    out.flush();
    return result.isSuccess() ? ExitCodes.VERIFIED : ExitCodes.FAILED;
  }

  private static void printText(PrintWriter out, VerificationResult result) {
    out.println(
        (result.isSuccess() ? "VERIFIED  " : "FAILED    ") + result.subject());
    for (VerifierReport r : result.verifierReports()) {
      String what = r.referenceDigest().isEmpty() ? "subject" : "signature " + r.referenceDigest();
      out.println("  " + (r.isSuccess() ? "ok      " : "failed  ") + what);
      out.println("          " + r.message());
      if (!r.errorReason().isEmpty()) {
        out.println("          reason: " + r.errorReason());
      }
      if (!r.remediation().isEmpty()) {
        out.println("          what to do: " + r.remediation());
      }
      Map<String, Object> ext = r.extensions();
      if (ext.get("SN") != null) {
        out.println("          signed by: " + ext.get("SN") + " (issuer " + ext.get("Issuer") + ")");
      }
      if (ext.get("warnings") instanceof List<?> warnings) {
        for (Object w : warnings) {
          out.println("          warning: " + w);
        }
      }
    }
  }
}
