package dev.signet.server;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A bounded loopback load generator: {@code clients} virtual threads send at most {@code requests}
 * requests in all, and stop at {@code cap} whichever comes first. Latency is per request, from send
 * to the whole body read.
 */
final class LoopbackLoad {
  private LoopbackLoad() {}

  /** What one run measured. */
  record Stats(String name, int sent, int failed, double seconds, long[] latencyNanos) {
    double perSecond() {
      return sent / seconds;
    }

    double percentileMillis(double p) {
      if (latencyNanos.length == 0) {
        return Double.NaN;
      }
      long[] sorted = latencyNanos.clone();
      Arrays.sort(sorted);
      int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(i, sorted.length - 1))] / 1e6;
    }

    String row() {
      return String.format(
          java.util.Locale.ROOT,
          "| %s | %d | %d | %.0f | %.2f | %.2f |",
          name, sent, failed, perSecond(), percentileMillis(50), percentileMillis(99));
    }
  }

  static Stats run(
      String name,
      HttpClient client,
      HttpRequest request,
      Predicate<HttpResponse<String>> ok,
      int clients,
      int requests,
      Duration cap)
      throws InterruptedException {
    AtomicInteger tickets = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long[] latencies = new long[requests];
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    long stopAt = start + cap.toNanos();
    Thread[] threads = new Thread[clients];
    for (int c = 0; c < clients; c++) {
      threads[c] =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int t = tickets.getAndIncrement(); t < requests && System.nanoTime() < stopAt; t = tickets.getAndIncrement()) {
                      long s = System.nanoTime();
                      try {
                        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (!ok.test(r)) {
                          failed.incrementAndGet();
                        }
                      } catch (Exception e) {
                        failed.incrementAndGet();
                      }
                      latencies[t] = System.nanoTime() - s;
                      done.incrementAndGet();
                    }
                  });
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int sent = done.get();
    long[] measured = Arrays.stream(latencies).filter(l -> l > 0).toArray();
    return new Stats(name, sent, failed.get(), seconds, measured);
  }
}
