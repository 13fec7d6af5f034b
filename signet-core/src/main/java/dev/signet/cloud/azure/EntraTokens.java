package dev.signet.cloud.azure;

import dev.signet.cloud.CloudException;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tokens of one credential, cached per scope until shortly before they expire (5 minutes, or half
 * the lifetime of a short-lived token). One request per scope is in flight at a time: callers that
 * need the same scope meanwhile wait for it (within their deadline) and share its token.
 */
public final class EntraTokens {
  private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

  private record Cached(AccessToken token, Instant renewAt) {}

  private final EntraCredential credential;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> inFlight = new ConcurrentHashMap<>();

  public EntraTokens(EntraCredential credential, Clock clock) {
    this.credential = credential;
    this.clock = clock;
  }

  public EntraCredential credential() {
    return credential;
  }

  /** A token for {@code scope} that is valid for a while yet. */
  public AccessToken get(String scope, Deadline deadline)
      throws CloudException, DeadlineExceededException {
    Cached hit = cache.get(scope);
    if (hit != null && clock.instant().isBefore(hit.renewAt())) {
      return hit.token();
    }
    ReentrantLock lock = inFlight.computeIfAbsent(scope, s -> new ReentrantLock());
    try {
      if (!lock.tryLock(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new DeadlineExceededException("waiting for an Entra ID token for " + scope);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudException("interrupted while waiting for an Entra ID token");
    }
    try {
      hit = cache.get(scope);
      Instant now = clock.instant();
      if (hit != null && now.isBefore(hit.renewAt())) {
        return hit.token();
      }
      AccessToken fresh = credential.fetch(scope, deadline);
      Duration lifetime = Duration.between(now, fresh.expiresOn());
      Duration early = lifetime.compareTo(RENEW_BEFORE.multipliedBy(2)) < 0
          ? lifetime.dividedBy(2)
          : RENEW_BEFORE;
      cache.put(scope, new Cached(fresh, fresh.expiresOn().minus(early)));
      return fresh;
    } finally {
      lock.unlock();
    }
  }

  /** Forgets the token of {@code scope} after a service rejected it. */
  public void evict(String scope) {
    cache.remove(scope);
  }
}
