package dev.signet.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cache.CachePolicy;
import dev.signet.cache.CaffeineResultCache;
import dev.signet.cache.ResultKey;
import dev.signet.cache.TagCache;
import dev.signet.oci.Descriptor;
import dev.signet.policy.ConfigPolicy;
import dev.signet.reference.Digest;
import dev.signet.reference.Reference;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The heap a server's caches keep after 100,000 distinct decisions and after 100,000 distinct tags,
 * with the default bounds and, for comparison, with bounds large enough to keep them all. A
 * measurement, opt-in with {@code -Dsignet.memory=true}: it prints the heap in use after garbage
 * collection and asserts only that the bounds hold (entry counts), never a size or a time.
 *
 * <p>Each decision is a copy, with its own subject and digest strings, of a real decision (a JWS
 * signature verified by the notation verifier), so an entry is as large as a served one.
 */
class CacheMemoryTest {
  static final int DISTINCT = 100_000;
  static final String REPO = "registry.test/team/app";

  @Test
  void heap_after_100000_distinct_decisions_and_tags() {
    if (!Boolean.getBoolean("signet.memory")) {
      System.out.println("CacheMemoryTest skipped: a measurement, run with -Dsignet.memory=true");
      Assumptions.abort("a measurement: run with -Dsignet.memory=true");
    }
    VerificationResult real = realDecision();
    long base = usedAfterGc();
    System.out.printf("heap in use before: %.1f MiB%n", mib(base));

    CaffeineResultCache defaults = new CaffeineResultCache();
    fillDecisions(defaults, real);
    assertThat(defaults.size()).isLessThanOrEqualTo(CaffeineResultCache.DEFAULT_MAX_ENTRIES);
    report("decisions, default bound " + CaffeineResultCache.DEFAULT_MAX_ENTRIES, defaults.size(), base);
    defaults = null;

    CaffeineResultCache all = new CaffeineResultCache(DISTINCT, CachePolicy.defaults(), System::nanoTime);
    fillDecisions(all, real);
    report("decisions, bound " + DISTINCT, all.size(), base);
    all = null;

    MemoryStore store = new MemoryStore();
    Descriptor image = store.image("tagged", null);
    TagCache tags = new TagCache(TagCache.DEFAULT_TTL.multipliedBy(60), TagCache.DEFAULT_MAX_ENTRIES, System::nanoTime);
    fillTags(tags, store, image);
    assertThat(tags.size()).isLessThanOrEqualTo(TagCache.DEFAULT_MAX_ENTRIES);
    report("tags, default bound " + TagCache.DEFAULT_MAX_ENTRIES, tags.size(), base);
    tags = null;

    TagCache allTags = new TagCache(Duration.ofMinutes(2), DISTINCT, System::nanoTime);
    fillTags(allTags, store, image);
    report("tags, bound " + DISTINCT, allTags.size(), base);
  }

  private static VerificationResult realDecision() {
    Clock clock = Clock.systemUTC();
    MemoryStore store = new MemoryStore();
    Signing pki = new Signing("Memory");
    Descriptor image = store.image("real", null);
    store.signature(image, pki.sign(image));
    Executor executor =
        new Executor(List.of(store), List.of(pki.notation("notation", clock)),
            new ConfigPolicy(Map.of()), Duration.ofSeconds(30), clock);
    VerificationResult r = executor.verify(REPO + "@" + image.digest());
    assertThat(r.isSuccess()).as(r.toString()).isTrue();
    return r;
  }

  private static void fillDecisions(CaffeineResultCache cache, VerificationResult real) {
    for (int i = 0; i < DISTINCT; i++) {
      Digest digest = Digest.sha256(("image " + i).getBytes(StandardCharsets.UTF_8));
      String subject = REPO + "@" + digest;
      List<VerifierReport> reports = new ArrayList<>();
      for (VerifierReport r : real.verifierReports()) {
        reports.add(
            r.toBuilder()
                .referrer(
                    Digest.sha256(("signature " + i).getBytes(StandardCharsets.UTF_8)).toString(),
                    r.artifactType())
                .extensions(new LinkedHashMap<>(r.extensions()))
                .build());
      }
      cache.put(new ResultKey("fingerprint", REPO, digest), new VerificationResult(subject, true, reports));
    }
  }

  private static void fillTags(TagCache tags, MemoryStore store, Descriptor image) {
    for (int i = 0; i < DISTINCT; i++) {
      Digest digest = Digest.sha256(("tagged " + i).getBytes(StandardCharsets.UTF_8));
      tags.put(store, Reference.parse(REPO + ":t" + i),
          new Descriptor(image.mediaType(), digest, image.size()));
    }
  }

  private static void report(String what, long entries, long base) {
    long used = usedAfterGc();
    System.out.printf(
        "%s: %d entries kept; heap in use %.1f MiB (%.1f MiB above the start)%n",
        what, entries, mib(used), mib(used - base));
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
