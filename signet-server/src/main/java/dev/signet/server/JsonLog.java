package dev.signet.server;

// Ratify's server log lines (ratify-reference.md §6): one line per event, in the formatter that
// config.json's logger.formatter names (json by default here; text and logstash as logrus writes
// them), filtered by logger.level.

import dev.signet.json.StrictJson;
import java.io.PrintStream;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Structured log lines on one stream (stderr in production): {@code time}, {@code level}, {@code
 * trace-id} (when there is one), {@code msg} and fields; JSON unless another format is chosen.
 * Only subjects, results and error reasons are logged; never credentials, keys or request bodies.
 * {@link #javaLogging()} routes the JDK's and libraries' log records through the same lines.
 */
public final class JsonLog {
  /** The line formats of Ratify's {@code logger.formatter}. */
  public enum Format {
    /** One JSON object per line (logrus JSONFormatter's keys). */
    JSON,
    /** {@code key=value} pairs (logrus TextFormatter). */
    TEXT,
    /** One JSON object per line with {@code @timestamp}, {@code @version} and {@code message}. */
    LOGSTASH;

    /** {@code text}, {@code json} or {@code logstash}, in any case. */
    public static Format parse(String name) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(name.trim())) {
          return f;
        }
      }
      throw new IllegalArgumentException(
          "logger.formatter must be text, json or logstash; found \"" + name + "\"");
    }
  }

  private static final String[] LEVELS = {"debug", "info", "warning", "error"};

  private final PrintStream out;
  private final Queue<String> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();
  private final Clock clock;
  private final Format format;
  private final int minimum;

  JsonLog(PrintStream out, Clock clock) {
    this(out, clock, Format.JSON, "info");
  }

  /**
   * Lines on {@code out} in {@code format}, at {@code level} and above ({@code debug}, {@code
   * info}, {@code warning} or {@code error}; logrus' {@code trace}, {@code warn}, {@code fatal}
   * and {@code panic} are taken as the nearest of these).
   */
  public JsonLog(PrintStream out, Clock clock, Format format, String level) {
    this.out = out;
    this.clock = clock;
    this.format = format;
    this.minimum = rank(level(level));
  }

  /**
   * The level a name stands for: {@code debug}, {@code info}, {@code warning} or {@code error}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static String level(String level) {
    String l = level.trim().toLowerCase(Locale.ROOT);
    return switch (l) {
      case "trace", "debug" -> "debug";
      case "info" -> "info";
      case "warn", "warning" -> "warning";
      case "error", "fatal", "panic" -> "error";
      default ->
          throw new IllegalArgumentException(
              "logger.level must be debug, info, warning or error; found \"" + level + "\"");
    };
  }

  private static int rank(String level) {
    for (int i = 0; i < LEVELS.length; i++) {
      if (LEVELS[i].equals(level)) {
        return i;
      }
    }
    return 1;
  }

  ObjectNode line(String level, String traceId, String msg) {
    ObjectNode o = StrictJson.MAPPER.createObjectNode();
    o.put("time", DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
    o.put("level", level);
    if (traceId != null) {
      o.put("trace-id", traceId);
    }
    o.put("msg", msg);
    return o;
  }

  void write(ObjectNode line) {
    if (rank(line.path("level").asString("info")) < minimum) {
      return;
    }
    String text =
        switch (format) {
          case JSON -> StrictJson.MAPPER.writeValueAsString(line);
          case TEXT -> text(line);
          case LOGSTASH -> StrictJson.MAPPER.writeValueAsString(logstash(line));
        };
    pending.add(text);
    drain();
  }

  /**
   * Writes the pending lines, unless another thread is writing: that thread writes them as soon as
   * its own write returns. Under load, lines that arrive during a write go out together in the next
   * one instead of one system call each; no line waits for a later one, and the order is kept.
   */
  private void drain() {
    while (!pending.isEmpty() && writing.compareAndSet(false, true)) {
      try {
        StringBuilder lines = new StringBuilder();
        for (String l = pending.poll(); l != null; l = pending.poll()) {
          lines.append(l).append(System.lineSeparator());
        }
        synchronized (out) {
          out.print(lines);
          out.flush();
        }
      } finally {
        writing.set(false);
      }
    }
  }

  /** logrus' text layout: time, level, msg, then the fields; values quoted when they need it. */
  private static String text(ObjectNode line) {
    StringBuilder b = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = line.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      String value = v.isString() ? v.asString() : StrictJson.MAPPER.writeValueAsString(v);
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(e.getKey()).append('=').append(quoteIfNeeded(value));
    }
    return b.toString();
  }

  private static String quoteIfNeeded(String value) {
    boolean plain =
        !value.isEmpty()
            && value.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '=' && c != '\\');
    return plain ? value : StrictJson.MAPPER.writeValueAsString(value);
  }

  private static ObjectNode logstash(ObjectNode line) {
    ObjectNode o = StrictJson.MAPPER.createObjectNode();
    o.put("@timestamp", line.path("time").asString());
    o.put("@version", "1");
    o.put("message", line.path("msg").asString());
    line.properties().forEach(
        e -> {
          if (!e.getKey().equals("time") && !e.getKey().equals("msg")) {
            o.set(e.getKey(), e.getValue());
          }
        });
    return o;
  }

  public void info(String msg) {
    write(line("info", null, msg));
  }

  public void warn(String msg) {
    write(line("warning", null, msg));
  }

  public void error(String msg) {
    write(line("error", null, msg));
  }

  /**
   * A {@code java.util.logging} handler that writes each record as one of these lines: the
   * record's level, its formatted message, its logger, and the exception's class and message (no
   * stack trace). Install it on the root logger so that nothing logs around it.
   */
  public Handler javaLogging() {
    return new Handler() {
      private final SimpleFormatter messages = new SimpleFormatter();

      @Override
      public void publish(LogRecord record) {
        int v = record.getLevel().intValue();
        String level =
            v >= Level.SEVERE.intValue() ? "error"
                : v >= Level.WARNING.intValue() ? "warning"
                : v >= Level.INFO.intValue() ? "info"
                : "debug";
        ObjectNode line = line(level, null, messages.formatMessage(record));
        if (record.getLoggerName() != null) {
          line.put("logger", record.getLoggerName());
        }
        if (record.getThrown() != null) {
          line.put("error", record.getThrown().toString());
        }
        write(line);
      }

      @Override
      public void flush() {
        out.flush();
      }

      @Override
      public void close() {}
    };
  }
}
