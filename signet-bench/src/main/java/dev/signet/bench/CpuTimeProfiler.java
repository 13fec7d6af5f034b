package dev.signet.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports CPU time per operation next to JMH's wall-clock score: the benchmark worker threads' CPU
 * time ({@code ·cpu.worker}) and the whole JVM's ({@code ·cpu.process}, which adds GC and JIT
 * threads). On a machine shared with other work, wall-clock time includes the time the benchmark
 * thread waited for a core; CPU time does not, so ratios of CPU times stay comparable when the
 * load changes between benchmarks.
 *
 * <p>Use with {@code bin/signet-bench -prof dev.signet.bench.CpuTimeProfiler ...}.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private Map<Long, Long> workersBefore = Map.of();
  private long processBefore;

  public CpuTimeProfiler() {
    if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
  }

  @Override
  public String getDescription() {
    return "CPU time per operation (benchmark threads and whole process)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    workersBefore = workerCpu();
    processBefore = processCpu();
  }

  @Override
  public List<Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long process = processCpu() - processBefore;
    long worker = 0;
    for (Map.Entry<Long, Long> e : workerCpu().entrySet()) {
      worker += e.getValue() - workersBefore.getOrDefault(e.getKey(), 0L);
    }
    long ops = result.getMetadata().getAllOps();
    if (ops <= 0) {
      return List.of();
    }
    return List.of(
        new ScalarResult("·cpu.worker", worker / 1000.0 / ops, "us/op", AggregationPolicy.AVG),
        new ScalarResult("·cpu.process", process / 1000.0 / ops, "us/op", AggregationPolicy.AVG));
  }

  /** CPU nanoseconds of each live JMH worker thread, by thread id. */
  private Map<Long, Long> workerCpu() {
    Map<Long, Long> out = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains("jmh-worker")) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          out.put(info.getThreadId(), cpu);
        }
      }
    }
    return out;
  }

  private static long processCpu() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
