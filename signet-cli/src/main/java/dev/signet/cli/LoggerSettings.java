package dev.signet.cli;

// config.json's "logger" section as Ratify reads it (ratify-reference.md §2.1, §6): formatter,
// level (RATIFY_LOG_LEVEL wins, as in Ratify's chart) and the trace-id request headers.

import dev.signet.config.ConfigException;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.server.JsonLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** How {@code signet serve} logs, from config.json's {@code logger} section. */
record LoggerSettings(JsonLog.Format format, String level, List<String> traceIdHeaders) {
  private static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;

  /**
   * Reads {@code logger.formatter} (default json), {@code logger.level} (default info; the
   * environment's {@code RATIFY_LOG_LEVEL} wins) and {@code logger.requestHeaders.traceIDHeaderName}
   * (a list of header names, or the chart's quoted form {@code "[a b]"}).
   */
  static LoggerSettings read(Path config, String levelFromEnvironment) throws ConfigException {
    JsonNode logger;
    try {
      byte[] bytes = Files.readAllBytes(config);
      logger = StrictJson.parseObject(bytes, MAX_CONFIG_BYTES, "configuration").path("logger");
    } catch (IOException | JsonFormatException e) {
      throw new ConfigException(config + ": " + e.getMessage());
    }
    try {
      JsonLog.Format format =
          logger.path("formatter").isString() && !logger.path("formatter").asString().isBlank()
              ? JsonLog.Format.parse(logger.path("formatter").asString())
              : JsonLog.Format.JSON;
      String level =
          levelFromEnvironment != null && !levelFromEnvironment.isBlank()
              ? levelFromEnvironment
              : logger.path("level").isString() && !logger.path("level").asString().isBlank()
                  ? logger.path("level").asString()
                  : "info";
      // A misspelt level is a configuration error, not a silent default.
      return new LoggerSettings(format, JsonLog.level(level), headers(logger.path("requestHeaders").path("traceIDHeaderName")));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(config + ": " + e.getMessage());
    }
  }

  /** Without a config.json (Kubernetes mode): JSON lines at {@code RATIFY_LOG_LEVEL} or info. */
  static LoggerSettings fromEnvironment(String levelFromEnvironment) {
    String level =
        levelFromEnvironment != null && !levelFromEnvironment.isBlank() ? levelFromEnvironment : "info";
    return new LoggerSettings(JsonLog.Format.JSON, JsonLog.level(level), List.of());
  }

  private static List<String> headers(JsonNode names) {
    List<String> out = new ArrayList<>();
    if (names.isArray()) {
      names.forEach(n -> add(out, n.asString("")));
    } else if (names.isString()) {
      // Ratify's chart renders the list with `quote`: "[x-ms-correlation-request-id]".
      for (String n : names.asString().replace("[", " ").replace("]", " ").split("[\\s,]+")) {
        add(out, n);
      }
    }
    return out;
  }

  private static void add(List<String> out, String name) {
    String n = name.trim();
    if (!n.isEmpty() && !out.contains(n)) {
      out.add(n);
    }
  }
}
