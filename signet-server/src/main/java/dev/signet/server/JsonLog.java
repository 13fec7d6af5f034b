package dev.signet.server;

// Ratify's server log lines (ratify-reference.md §6), one JSON object per line.

import dev.signet.json.StrictJson;
import java.io.PrintStream;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import tools.jackson.databind.node.ObjectNode;

/**
 * Structured log lines on one stream (stderr in production): {@code time}, {@code level}, {@code
 * trace-id} (when there is one), {@code msg} and fields. Only subjects, results and error reasons
 * are logged; never credentials, keys or request bodies.
 */
final class JsonLog {
  private final PrintStream out;
  private final Clock clock;

  JsonLog(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
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
    String text = StrictJson.MAPPER.writeValueAsString(line);
    synchronized (out) {
      out.println(text);
    }
  }

  void info(String msg) {
    write(line("info", null, msg));
  }

  void warn(String msg) {
    write(line("warning", null, msg));
  }
}
