package dev.signet.notation.timestamp;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A verified timestamp: the TSA's time, its accuracy, and the TSA chain (leaf first, root last). */
public record VerifiedTimestamp(Instant genTime, Duration accuracy, List<X509Certificate> tsaChain) {
  public VerifiedTimestamp {
    tsaChain = List.copyOf(tsaChain);
  }

  /** Earliest instant the signature could have been made. */
  public Instant earliest() {
    return genTime.minus(accuracy);
  }

  /** Latest instant the signature could have been made. */
  public Instant latest() {
    return genTime.plus(accuracy);
  }
}
