package dev.signet.oci.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How each registry lists referrers, as learnt from its answers: the referrers API, or only the
 * referrers tag schema. Remembered for a lifetime (so that a registry upgraded to the referrers API
 * is noticed) and for a bounded number of registries, least recently used first out. Unknown or
 * expired means: ask both at once and learn again.
 */
final class ReferrersSupport {

  /** The way a registry was seen to list referrers. */
  enum Way {
    REFERRERS_API,
    TAG_SCHEMA
  }

  static final Duration LIFETIME = Duration.ofMinutes(10);
  static final int MAX_REGISTRIES = 1024;

  private record Learnt(Way way, Instant until) {}

  private final Clock clock;
  private final Duration lifetime;
  private final int maxRegistries;
  private final Map<String, Learnt> learnt;

  ReferrersSupport(Clock clock, Duration lifetime, int maxRegistries) {
    this.clock = clock;
    this.lifetime = lifetime;
    this.maxRegistries = maxRegistries;
    this.learnt = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Learnt> eldest) {
        return size() > ReferrersSupport.this.maxRegistries;
      }
    };
  }

  /** What was learnt about {@code registry} and is still fresh; null when nothing is. */
  synchronized Way known(String registry) {
    Learnt l = learnt.get(registry);
    if (l == null) {
      return null;
    }
    if (!clock.instant().isBefore(l.until())) {
      learnt.remove(registry);
      return null;
    }
    return l.way();
  }

  synchronized void learn(String registry, Way way) {
    learnt.put(registry, new Learnt(way, clock.instant().plus(lifetime)));
  }

  synchronized int size() {
    return learnt.size();
  }
}
