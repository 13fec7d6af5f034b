package dev.signet.cache;

import dev.signet.deadline.Deadline;
import dev.signet.result.VerificationResult;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Decisions shared by the replicas of a deployment through Redis, with an in-process {@link
 * CaffeineResultCache} in front.
 *
 * <ul>
 *   <li>Keys hold the configuration fingerprint, so replicas with the same configuration and trust
 *       material share entries and a replica with another one never reads them.
 *   <li>Entries are authenticated ({@link SealedEntry}, keys from {@link HmacKeys}); one that does
 *       not authenticate, does not parse, names another key or has expired is a miss, counted by
 *       {@link #counts()}, and never an allow.
 *   <li>Redis expires entries after the lifetime {@link CachePolicy} gives them; transient failures
 *       are never written.
 *   <li>On a miss, {@link #getOrVerify} takes a short lock in Redis, so that replicas asked for the
 *       same image at once verify it once: the others wait for the entry, for at most half of their
 *       remaining time, then verify themselves.
 *   <li>When Redis fails or is slower than the endpoint's timeout, decisions go on with the local
 *       cache and this process's own verifications; Redis is tried again after {@link #RETRY_AFTER}
 *       and used as soon as it answers.
 * </ul>
 */
public final class RedisResultCache implements ResultCache, AutoCloseable {
  /** How long Redis is left alone after it failed. */
  public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  /** How often a replica waiting for another one's verification looks for its result. */
  private static final Duration POLL = Duration.ofMillis(20);

  private static final String PREFIX = "signet:v1:";
  private static final String RELEASE =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

  private static final System.Logger LOG = System.getLogger(RedisResultCache.class.getName());

  /** What the cache counts, exposed as {@link #counts()}. */
  public enum Event {
    LOCAL_HIT,
    SHARED_HIT,
    MISS,
    SHARED_WRITE,
    REJECTED_AUTHENTICATION,
    REJECTED_UNPARSABLE,
    REJECTED_OTHER_KEY,
    REJECTED_EXPIRY,
    LOCK_WAIT,
    LOCK_WAIT_GAVE_UP,
    REDIS_FAILURE,
    REDIS_SKIPPED
  }

  private final UnifiedJedis redis;
  private final HmacKeys keys;
  private final CaffeineResultCache local;
  private final CachePolicy policy;
  private final Clock clock;
  private final String name;
  private final Map<Event, LongAdder> counts = new EnumMap<>(Event.class);
  private final SecureRandom random = new SecureRandom();

  /** Until when Redis is not asked; null while it answers. */
  private volatile Instant downUntil;

  /**
   * @param redis the client ({@link RedisEndpoint#connect()}); closed by {@link #close()}
   * @param name the endpoint as shown in log lines (no credentials)
   * @param keys the entry authentication keys
   * @param local the first-level cache, with the same policy
   * @param policy the entry lifetimes
   * @param clock the time source of expiry
   */
  public RedisResultCache(
      UnifiedJedis redis,
      String name,
      HmacKeys keys,
      CaffeineResultCache local,
      CachePolicy policy,
      Clock clock) {
    this.redis = redis;
    this.name = name;
    this.keys = keys;
    this.local = local;
    this.policy = policy;
    this.clock = clock;
    for (Event e : Event.values()) {
      counts.put(e, new LongAdder());
    }
  }

  /** A cache on {@code endpoint} with the default local bound and TTLs. */
  public static RedisResultCache connect(RedisEndpoint endpoint, HmacKeys keys, Clock clock) {
    CachePolicy policy = CachePolicy.defaults();
    return new RedisResultCache(
        endpoint.connect(),
        endpoint.display(),
        keys,
        new CaffeineResultCache(
            CaffeineResultCache.DEFAULT_MAX_ENTRIES,
            policy,
            com.github.benmanes.caffeine.cache.Ticker.systemTicker()),
        policy,
        clock);
  }

  @Override
  public Optional<VerificationResult> get(ResultKey key) {
    Optional<VerificationResult> hit = getInProcess(key);
    if (hit.isPresent()) {
      return hit;
    }
    Optional<VerificationResult> shared = Optional.empty();
    if (available()) {
      try {
        shared = readShared(key);
        answered();
      } catch (JedisException e) {
        failed(e);
      }
    }
    record(shared.isPresent() ? Event.SHARED_HIT : Event.MISS);
    return shared;
  }

  @Override
  public Optional<VerificationResult> getInProcess(ResultKey key) {
    Optional<VerificationResult> hit = local.get(key);
    if (hit.isPresent()) {
      record(Event.LOCAL_HIT);
    }
    return hit;
  }

  @Override
  public void put(ResultKey key, VerificationResult result) {
    Optional<Duration> ttl = policy.ttlFor(result);
    if (ttl.isEmpty()) {
      return;
    }
    local.put(key, result);
    if (available()) {
      try {
        String value =
            SealedEntry.seal(keys, entryKey(key), key, result, clock.instant().plus(ttl.get()));
        redis.set(entryKey(key), value, SetParams.setParams().px(ttl.get().toMillis()));
        record(Event.SHARED_WRITE);
        answered();
      } catch (JedisException e) {
        failed(e);
      }
    }
  }

  @Override
  public VerificationResult getOrVerify(
      ResultKey key, Deadline deadline, Supplier<VerificationResult> verify) {
    Optional<VerificationResult> hit = local.get(key);
    if (hit.isPresent()) {
      record(Event.LOCAL_HIT);
      return hit.get();
    }
    String lock = PREFIX + "lock:" + keyText(key);
    String token = null;
    if (available()) {
      try {
        Deadline waitUntil = Deadline.after(clock, deadline.remaining().dividedBy(2));
        String candidate = HexFormat.of().formatHex(token());
        boolean waited = false;
        while (true) {
          Optional<VerificationResult> shared = readShared(key);
          if (shared.isPresent()) {
            answered();
            record(Event.SHARED_HIT);
            return shared.get();
          }
          long lockMillis = Math.max(1, deadline.remaining().toMillis());
          if ("OK".equals(redis.set(lock, candidate, SetParams.setParams().nx().px(lockMillis)))) {
            token = candidate;
            // Another replica may have written the entry and released its lock in between.
            shared = readShared(key);
            if (shared.isPresent()) {
              release(lock, token);
              answered();
              record(Event.SHARED_HIT);
              return shared.get();
            }
            break;
          }
          if (!waited) {
            waited = true;
            record(Event.LOCK_WAIT);
          }
          if (waitUntil.expired()) {
            record(Event.LOCK_WAIT_GAVE_UP);
            break;
          }
          sleep(waitUntil.remainingAtMost(POLL));
        }
        answered();
      } catch (JedisException e) {
        failed(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    record(Event.MISS);
    try {
      VerificationResult result = verify.get();
      put(key, result);
      return result;
    } finally {
      if (token != null) {
        release(lock, token);
      }
    }
  }

  /**
   * How often each {@link Event} happened since start, by lower-case name (for metrics): hits,
   * misses, rejected entries by reason, lock waits, and Redis failures.
   */
  public Map<String, Long> counts() {
    Map<String, Long> out = new LinkedHashMap<>();
    counts.forEach((e, n) -> out.put(e.name().toLowerCase(Locale.ROOT), n.sum()));
    return out;
  }

  /** The count of one event. */
  public long count(Event event) {
    return counts.get(event).sum();
  }

  /** Whether Redis is in use now (false while it is left alone after a failure). */
  public boolean sharing() {
    return downUntil == null;
  }

  @Override
  public void close() {
    redis.close();
  }

  private Optional<VerificationResult> readShared(ResultKey key) {
    String entryKey = entryKey(key);
    String stored = redis.get(entryKey);
    if (stored == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    SealedEntry.Outcome outcome =
        SealedEntry.open(keys, entryKey, key, stored, now, longestTtl());
    if (outcome.opened() == null) {
      Event event =
          switch (outcome.rejection()) {
            case AUTHENTICATION -> Event.REJECTED_AUTHENTICATION;
            case UNPARSABLE -> Event.REJECTED_UNPARSABLE;
            case OTHER_KEY -> Event.REJECTED_OTHER_KEY;
            case EXPIRY -> Event.REJECTED_EXPIRY;
          };
      record(event);
      LOG.log(
          System.Logger.Level.WARNING,
          "ignored the shared cache entry for {0}: {1} (whoever can write to Redis {2} may be"
              + " tampering with it; the image is verified instead)",
          key.repository() + "@" + key.digest(),
          outcome.rejection().name().toLowerCase(Locale.ROOT).replace('_', ' '),
          name);
      return Optional.empty();
    }
    VerificationResult result = outcome.opened().result();
    local.put(key, result, Duration.between(now, outcome.opened().expiresAt()));
    return Optional.of(result);
  }

  private Duration longestTtl() {
    return policy.ttl().compareTo(policy.noSignatureTtl()) >= 0
        ? policy.ttl()
        : policy.noSignatureTtl();
  }

  private void release(String lock, String token) {
    if (!available()) {
      return; // the lock expires by itself
    }
    try {
      redis.eval(RELEASE, List.of(lock), List.of(token));
    } catch (JedisException e) {
      failed(e);
    }
  }

  private static String entryKey(ResultKey key) {
    return PREFIX + "decision:" + keyText(key);
  }

  private static String keyText(ResultKey key) {
    return key.fingerprint() + ":" + key.repository() + "@" + key.digest();
  }

  private byte[] token() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return b;
  }

  private boolean available() {
    Instant until = downUntil;
    if (until == null || !clock.instant().isBefore(until)) {
      return true;
    }
    record(Event.REDIS_SKIPPED);
    return false;
  }

  private void answered() {
    if (downUntil != null) {
      downUntil = null;
      LOG.log(System.Logger.Level.INFO, "the shared cache at {0} answers again", name);
    }
  }

  private void failed(JedisException e) {
    record(Event.REDIS_FAILURE);
    boolean wasUp = downUntil == null;
    downUntil = clock.instant().plus(RETRY_AFTER);
    if (wasUp) {
      LOG.log(
          System.Logger.Level.WARNING,
          "the shared cache at {0} failed ({1}); deciding with this replica''s cache until it"
              + " answers again (tried every {2} ms)",
          name,
          e.getMessage(),
          String.valueOf(RETRY_AFTER.toMillis()));
    }
  }

  private void record(Event e) {
    counts.get(e).increment();
  }

  private static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(Math.max(1, d.toMillis()));
  }
}
