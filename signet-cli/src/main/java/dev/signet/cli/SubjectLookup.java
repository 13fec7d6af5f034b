package dev.signet.cli;

import dev.signet.engine.VerificationConfig;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.result.ErrorCode;
import dev.signet.verify.Failure;
import dev.signet.verify.ImageResolver;
import dev.signet.reference.Reference;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The subject of a browsing command ({@code resolve}, {@code discover}, {@code referrer ...}),
 * resolved like {@code verify} does ({@link ImageResolver#firstOf}): in the configured stores in
 * order, the first that knows it wins. The whole command shares one deadline, {@code executor.verificationRequestTimeout}.
 *
 * @param subject the image as given on the command line
 * @param config the loaded configuration, closed with this lookup
 * @param reference the subject as a reference
 * @param store the store that resolved the subject
 * @param descriptor the subject's manifest
 * @param deadline the command's deadline
 */
record SubjectLookup(
    String subject,
    VerificationConfig config,
    Reference reference,
    ReferrerStore store,
    Descriptor descriptor,
    Deadline deadline)
    implements AutoCloseable {

  /**
   * Loads the configuration and resolves the subject.
   *
   * @throws CommandFailure exit 2 for a bad configuration or reference, exit 1 when no store can
   *     resolve the subject
   */
  static SubjectLookup open(SubjectOptions options, PrintWriter err) throws CommandFailure {
    Reference reference = options.reference();
    VerificationConfig config = options.load(err);
    Deadline deadline = Deadline.after(Clock.systemUTC(), config.timeout());
    switch (ImageResolver.firstOf(config.stores(), config.timeout()).resolve(reference, deadline)) {
      case ImageResolver.Resolved r -> {
        return new SubjectLookup(
            options.subject, config, reference, r.store(), r.descriptor(), deadline);
      }
      case ImageResolver.Unresolved u -> {
        config.close();
        Failure f = u.failure();
        if (f.code() == ErrorCode.DEADLINE_EXCEEDED) {
          throw timedOut(config, new DeadlineExceededException(f.reason()));
        }
        throw new CommandFailure(
            ExitCodes.FAILED, "could not resolve " + reference + ": " + f.message() + ": " + f.reason());
      }
    }
  }

  /**
   * The subject as the JSON outputs give it: the reference as given, pinned, and its descriptor
   * (a mutable map, for the command to add to).
   */
  Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("subject", subject);
    json.put("reference", pinned());
    json.put("mediaType", descriptor.mediaType());
    json.put("digest", descriptor.digest().toString());
    json.put("size", descriptor.size());
    return json;
  }

  /** The subject pinned to its digest: {@code name@sha256:<hex>}. */
  String pinned() {
    return reference.name() + "@" + descriptor.digest();
  }

  static CommandFailure timedOut(VerificationConfig config, DeadlineExceededException e) {
    return new CommandFailure(
        ExitCodes.FAILED,
        "did not finish within "
            + config.timeout().toMillis()
            + " ms ("
            + e.getMessage()
            + "); raise executor.verificationRequestTimeout if the registry is slow");
  }

  CommandFailure timedOut(DeadlineExceededException e) {
    return timedOut(config, e);
  }

  @Override
  public void close() {
    config.close();
  }
}
