package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.json.StrictJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JsonLogTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-30T15:04:15Z"), ZoneOffset.UTC);
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private JsonLog log(JsonLog.Format format, String level) {
    return new JsonLog(new PrintStream(bytes, true, StandardCharsets.UTF_8), CLOCK, format, level);
  }

  private String written() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void a_java_logging_record_with_an_exception_is_one_json_line_without_a_stack_trace() {
    LogRecord r = new LogRecord(Level.SEVERE, "Got a socket exception while listening, this server socket is terminating now");
    r.setLoggerName("io.helidon.webserver.ServerListener");
    r.setThrown(new SocketException("Too many open files"));
    log(JsonLog.Format.JSON, "info").javaLogging().publish(r);

    assertThat(written().lines()).hasSize(1);
    JsonNode line = StrictJson.MAPPER.readTree(written());
    assertThat(line.path("level").asString()).isEqualTo("error");
    assertThat(line.path("logger").asString()).isEqualTo("io.helidon.webserver.ServerListener");
    assertThat(line.path("error").asString()).isEqualTo("java.net.SocketException: Too many open files");
    assertThat(line.path("time").asString()).isEqualTo("2025-01-30T15:04:15Z");
  }

  @Test
  void text_and_logstash_formats_carry_the_same_fields() {
    log(JsonLog.Format.TEXT, "info").warn("TLS files changed but were not reloaded");
    assertThat(written().strip())
        .isEqualTo("time=2025-01-30T15:04:15Z level=warning msg=\"TLS files changed but were not reloaded\"");

    bytes.reset();
    log(JsonLog.Format.LOGSTASH, "info").info("server started");
    JsonNode line = StrictJson.MAPPER.readTree(written());
    assertThat(line.path("@timestamp").asString()).isEqualTo("2025-01-30T15:04:15Z");
    assertThat(line.path("@version").asString()).isEqualTo("1");
    assertThat(line.path("message").asString()).isEqualTo("server started");
    assertThat(line.path("level").asString()).isEqualTo("info");
  }

  @Test
  void lines_below_the_level_are_dropped() {
    JsonLog log = log(JsonLog.Format.JSON, "warn");
    log.info("not shown");
    log.error("shown");
    assertThat(written()).doesNotContain("not shown").contains("shown");
    assertThatThrownBy(() -> JsonLog.level("loud"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("logger.level must be debug, info, warning or error; found \"loud\"");
  }

  @Test
  void lines_written_at_once_from_many_threads_are_all_whole_and_in_each_threads_order() throws Exception {
    JsonLog log = log(JsonLog.Format.JSON, "info");
    int threads = 16;
    int each = 500;
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      for (int t = 0; t < threads; t++) {
        int thread = t;
        pool.submit(() -> {
          start.await();
          for (int i = 0; i < each; i++) {
            log.info("thread " + thread + " line " + i);
          }
          return null;
        });
      }
      start.countDown();
    }
    String[] lines = written().split(System.lineSeparator());
    assertThat(lines).hasSize(threads * each);
    int[] next = new int[threads];
    for (String line : lines) {
      String[] msg = StrictJson.MAPPER.readTree(line).path("msg").asString().split(" ");
      int thread = Integer.parseInt(msg[1]);
      assertThat(Integer.parseInt(msg[3])).as(line).isEqualTo(next[thread]++);
    }
    assertThat(next).containsOnly(each);
  }
}
