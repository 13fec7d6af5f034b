package dev.signet.server;

import dev.signet.verify.Decisions;
import dev.signet.verify.ImageResolver;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The server's settings as {@link SignetServer.Builder} built them (it documents each); fixed for
 * the server's life, apart from the budgets, which are read for each request.
 */
record ServerSettings(
    HostPort http,
    ServerTls tls,
    HostPort healthAddress,
    HostPort metricsAddress,
    Decisions decisions,
    ImageResolver resolver,
    Supplier<Duration> verifyTimeout,
    Supplier<Duration> mutateTimeout,
    int maxBodyBytes,
    int admissionMaxBodyBytes,
    int maxKeys,
    int maxConnections,
    Duration headerTimeout,
    Duration bodyTimeout,
    Duration idleTimeout,
    AdmissionHandler admission,
    List<String> traceIdHeaders,
    Duration reloadInterval,
    Duration shutdownGrace,
    Clock clock,
    JsonLog log,
    Runnable onStop) {}
