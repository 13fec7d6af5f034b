package dev.signet.cli;

import dev.signet.config.ConfigException;
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

/**
 * The subject of a browsing command ({@code resolve}, {@code discover}, {@code referrer ...}),
 * resolved like {@code verify} does ({@link ImageResolver#firstOf}): in the configured stores in
 * order, the first that knows it wins. The whole command shares one deadline, {@code executor.verificationRequestTimeout}.
 */
final class SubjectLookup implements AutoCloseable {
  final VerificationConfig config;
  final Reference reference;
  final ReferrerStore store;
  final Descriptor descriptor;
  final Deadline deadline;

  private SubjectLookup(
      VerificationConfig config,
      Reference reference,
      ReferrerStore store,
      Descriptor descriptor,
      Deadline deadline) {
    this.config = config;
    this.reference = reference;
    this.store = store;
    this.descriptor = descriptor;
    this.deadline = deadline;
  }

  /**
   * Loads the configuration and resolves the subject.
   *
   * @throws CommandFailure exit 2 for a bad configuration or reference, exit 1 when no store can
   *     resolve the subject
   */
  static SubjectLookup open(SubjectOptions options, PrintWriter err) throws CommandFailure {
    Reference reference = options.reference();
    Clock clock = Clock.systemUTC();
    VerificationConfig config;
    try {
      config = VerificationConfig.load(options.config, VerificationConfig.Runtime.standard(clock));
    } catch (ConfigException e) {
      throw new CommandFailure(ExitCodes.USAGE, e.getMessage());
    }
    for (String w : config.warnings()) {
      err.println("signet: warning: " + w);
    }
    Deadline deadline = Deadline.after(clock, config.timeout());
    switch (ImageResolver.firstOf(config.stores(), config.timeout()).resolve(reference, deadline)) {
      case ImageResolver.Resolved r -> {
        return new SubjectLookup(config, reference, r.store(), r.descriptor(), deadline);
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
