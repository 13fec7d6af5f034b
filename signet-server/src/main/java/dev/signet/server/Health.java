package dev.signet.server;

import java.util.concurrent.CompletableFuture;

/**
 * What {@code /healthz} and {@code /readyz} answer: healthy until a listener fails for good;
 * ready once every listener accepts, until the server stops.
 */
final class Health {
  private final CompletableFuture<String> failure = new CompletableFuture<>();
  private volatile boolean ready;

  void ready(boolean ready) {
    this.ready = ready;
  }

  /** Ready to answer: started, TLS loaded, every listener accepting, not stopping. */
  boolean ready() {
    return ready && !failure.isDone();
  }

  /** Completes with the reason a listener stopped accepting connections. */
  CompletableFuture<String> failure() {
    return failure;
  }

  /** Records the failure; false when one was recorded before. */
  boolean fail(String reason) {
    return failure.complete(reason);
  }

  /** The failure, or null while there is none. */
  String failed() {
    return failure.getNow(null);
  }
}
