package dev.signet.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cache.CachePolicy;
import dev.signet.cache.CaffeineResultCache;
import dev.signet.cache.TagCache;
import dev.signet.oci.Descriptor;
import dev.signet.policy.ConfigPolicy;
import dev.signet.reference.Reference;
import dev.signet.result.VerificationResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The tag cache behind decisions: one resolution per lifetime, a moved tag seen once the lifetime
 * is over, failures never kept, zero turns it off, a new configuration (new stores) resolves again,
 * and the entry bound holds. Time comes from a controlled ticker.
 */
class TagCacheTest {
  static final Clock CLOCK = Clock.systemUTC();
  static final String REPO = "registry.test/team/app";
  static final Duration TTL = Duration.ofSeconds(2);

  final MemoryStore store = new MemoryStore();
  final Signing pki = new Signing("Tags");
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final CaffeineResultCache results = new CaffeineResultCache(1000, CachePolicy.defaults(), nanos::get);
  final AtomicReference<ConfiguredExecutor> current =
      new AtomicReference<>(ConfiguredExecutor.local(1, executor(store)));

  Executor executor(MemoryStore from) {
    return new Executor(
        List.of(from), List.of(pki.notation("notation", CLOCK)), new ConfigPolicy(Map.of()),
        Duration.ofSeconds(20), CLOCK);
  }

  DecisionService decisions(TagCache tags) {
    return new DecisionService(current::get, results, tags, CLOCK);
  }

  TagCache tags(Duration ttl, long maxEntries) {
    return new TagCache(ttl, maxEntries, nanos::get);
  }

  Descriptor signedImage(MemoryStore in, String name, String tag) {
    Descriptor image = in.image(name, tag);
    in.signature(image, pki.sign(image));
    return image;
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void a_tag_is_resolved_once_per_lifetime() {
    signedImage(store, "once", "v1");
    DecisionService decisions = decisions(tags(TTL, 100));

    for (int i = 0; i < 5; i++) {
      assertThat(decisions.decide(REPO + ":v1").isSuccess()).isTrue();
    }
    assertThat(store.count(MemoryStore.Op.RESOLVE)).isEqualTo(1);

    advance(TTL.plusMillis(1));
    assertThat(decisions.decide(REPO + ":v1").isSuccess()).isTrue();
    assertThat(store.count(MemoryStore.Op.RESOLVE)).isEqualTo(2);
  }

  @Test
  void a_moved_tag_is_seen_when_the_lifetime_is_over() {
    signedImage(store, "signed", "v1");
    DecisionService decisions = decisions(tags(TTL, 100));
    assertThat(decisions.decide(REPO + ":v1").isSuccess()).isTrue();

    store.image("unsigned", "v1"); // the tag now names an image without a signature
    advance(TTL.minusMillis(1));
    assertThat(decisions.decide(REPO + ":v1").isSuccess()).as("within the lifetime").isTrue();

    advance(Duration.ofMillis(2));
    VerificationResult moved = decisions.decide(REPO + ":v1");
    assertThat(moved.isSuccess()).as("after the lifetime").isFalse();
  }

  @Test
  void a_failed_resolution_is_not_kept() {
    signedImage(store, "flaky", "v1");
    DecisionService decisions = decisions(tags(TTL, 100));
    store.failing.put(MemoryStore.Op.RESOLVE, "registry unavailable");
    VerificationResult failed = decisions.decide(REPO + ":v1");
    store.failing.clear();

    VerificationResult recovered = decisions.decide(REPO + ":v1");
    VerificationResult cached = decisions.decide(REPO + ":v1");

    assertThat(failed.isSuccess()).isFalse();
    assertThat(recovered.isSuccess()).isTrue();
    assertThat(cached.isSuccess()).isTrue();
    assertThat(store.count(MemoryStore.Op.RESOLVE)).isEqualTo(2);
  }

  @Test
  void an_unknown_tag_is_asked_again_every_time() {
    TagCache tags = tags(TTL, 100);
    DecisionService decisions = decisions(tags);

    assertThat(decisions.decide(REPO + ":missing").isSuccess()).isFalse();
    assertThat(decisions.decide(REPO + ":missing").isSuccess()).isFalse();

    assertThat(store.count(MemoryStore.Op.RESOLVE)).isEqualTo(2);
    assertThat(tags.size()).isZero();
  }

  @Test
  void a_lifetime_of_zero_turns_it_off() {
    signedImage(store, "off", "v1");
    TagCache tags = tags(Duration.ZERO, 100);
    DecisionService decisions = decisions(tags);

    for (int i = 0; i < 3; i++) {
      assertThat(decisions.decide(REPO + ":v1").isSuccess()).isTrue();
    }
    assertThat(store.count(MemoryStore.Op.RESOLVE)).isEqualTo(3);
    assertThat(tags.size()).isZero();
  }

  @Test
  void a_new_configuration_with_new_stores_resolves_again() {
    signedImage(store, "reloaded", "v1");
    DecisionService decisions = decisions(tags(TTL, 100));
    assertThat(decisions.decide(REPO + ":v1").isSuccess()).isTrue();

    // A reload builds new stores; the new store's tag names another image.
    MemoryStore reloaded = new MemoryStore();
    reloaded.image("unsigned", "v1");
    current.set(ConfiguredExecutor.local(2, executor(reloaded)));
    VerificationResult after = decisions.decide(REPO + ":v1");

    assertThat(after.isSuccess()).isFalse();
    assertThat(reloaded.count(MemoryStore.Op.RESOLVE)).isEqualTo(1);
    assertThat(store.count(MemoryStore.Op.RESOLVE)).isEqualTo(1);
  }

  @Test
  void digests_are_never_kept_and_the_entry_bound_holds() {
    TagCache tags = tags(TTL, 50);
    Descriptor image = store.image("many", null);
    Reference byDigest = Reference.parse(REPO + "@" + image.digest());
    tags.put(store, byDigest, image);
    assertThat(tags.get(store, byDigest)).isNull();

    for (int i = 0; i < 1000; i++) {
      tags.put(store, Reference.parse(REPO + ":t" + i), image);
    }
    assertThat(tags.size()).isLessThanOrEqualTo(50).isPositive();
  }
}
