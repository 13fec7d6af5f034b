package dev.signet.cli;

// `signet serve` (cli-contract.md): Ratify's server flags (ratify-reference.md §5) on SignetServer.

import dev.signet.cache.CaffeineResultCache;
import dev.signet.cache.HmacKeys;
import dev.signet.cache.RedisEndpoint;
import dev.signet.cache.RedisResultCache;
import dev.signet.cache.ResultCache;
import dev.signet.config.ConfigException;
import dev.signet.config.ConfigReloader;
import dev.signet.config.VerificationConfig;
import dev.signet.kubernetes.ResourceController;
import dev.signet.kubernetes.kmp.ProviderTypes;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import dev.signet.server.HostPort;
import dev.signet.server.SignetServer;
import dev.signet.server.TlsMaterialException;
import dev.signet.server.admission.AdmissionMode;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code signet serve}: the Gatekeeper external data provider and admission server. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves verification decisions over HTTPS: the Gatekeeper external data provider"
          + " (/ratify/gatekeeper/v1/verify, /ratify/gatekeeper/v1/mutate) and Kubernetes admission"
          + " webhooks (/admission/validate, /admission/mutate), with plain-HTTP health"
          + " and metrics listeners when their ports are given. Runs until SIGTERM or SIGINT, then"
          + " finishes the requests in flight and exits (the JVM reports the signal: 143 or 130).",
      "Exit status: 2 for a usage, configuration or TLS file error."
    })
final class ServeCommand implements Callable<Integer> {
  // Helidon logs its own start-up lines in text through JUL; above INFO only, so that stderr is the
  // server's JSON lines (a strong reference keeps the level: JUL holds loggers weakly).
  private static final java.util.logging.Logger HELIDON = java.util.logging.Logger.getLogger("io.helidon");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "CONFIG.json",
      description =
          "Ratify configuration file (store, policy, verifier, executor). Required unless"
              + " --kubernetes or --kubeconfig is given; with them it is Ratify's ConfigMap, used"
              + " for what the resources do not set.")
  Path config;

  @Option(
      names = {"--kubernetes", "--enable-crd-manager"},
      description =
          "Take the configuration from Ratify's custom resources (config.ratify.deislabs.io),"
              + " watched in the cluster this runs in (service account token and CA from the"
              + " standard paths, KUBERNETES_SERVICE_HOST) or, outside a cluster, from KUBECONFIG"
              + " or ~/.kube/config. --enable-crd-manager is Ratify's name for it. See"
              + " docs/kubernetes.md.")
  boolean kubernetes;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "Like --kubernetes, with the API server and credentials of this kubeconfig file.")
  Path kubeconfig;

  /** The controller when the configuration comes from custom resources; closed after the server. */
  ResourceController controller;

  @Option(
      names = "--http",
      defaultValue = ":6001",
      paramLabel = "HOST:PORT",
      description = "HTTPS listen address (default ${DEFAULT-VALUE}, all interfaces).")
  String http;

  @Option(
      names = "--cert-dir",
      required = true,
      paramLabel = "DIR",
      description = "Directory with tls.crt and tls.key (PEM); reloaded when they change.")
  Path certDir;

  @Option(
      names = "--ca-cert-file",
      paramLabel = "FILE",
      description = "CA certificates (PEM); clients must present a certificate that chains to one.")
  Path caCertFile;

  @Option(
      names = "--health-port",
      paramLabel = "PORT",
      description = "Plain-HTTP /healthz and /readyz: PORT, :PORT or HOST:PORT.")
  String healthPort;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description = "Plain-HTTP /metrics (Prometheus): PORT, :PORT or HOST:PORT.")
  String metricsPort;

  @Option(
      names = "--tls-min-version",
      defaultValue = "1.3",
      paramLabel = "VERSION",
      description = "Lowest TLS version accepted: 1.3 (default) or 1.2.")
  String tlsMinVersion;

  @Option(
      names = "--trace-id-header",
      paramLabel = "NAME",
      description = "Request header carrying a trace id (repeatable); otherwise one is generated.")
  List<String> traceIdHeaders = new ArrayList<>();

  @Option(
      names = "--admission-mode",
      defaultValue = "deny",
      paramLabel = "MODE",
      description =
          "What /admission/validate does with an image that fails verification: deny (default),"
              + " audit (allow, with a warning and an audit annotation) or warn (allow, with a"
              + " warning).")
  String admissionMode;

  @Option(
      names = "--redis-url",
      defaultValue = "${env:SIGNET_REDIS_URL}",
      paramLabel = "URL",
      description =
          "The shared decision cache when the configuration says cache.type \"redis\":"
              + " redis://HOST:PORT[/DB] or rediss:// for TLS (env SIGNET_REDIS_URL).")
  URI redisUrl;

  @Option(
      names = "--redis-password-file",
      defaultValue = "${env:SIGNET_REDIS_PASSWORD_FILE}",
      paramLabel = "FILE",
      description = "File holding the Redis password (env SIGNET_REDIS_PASSWORD_FILE).")
  Path redisPasswordFile;

  @Option(
      names = "--redis-ca-cert-file",
      defaultValue = "${env:SIGNET_REDIS_CA_CERT_FILE}",
      paramLabel = "FILE",
      description =
          "PEM CA certificates of the Redis server's TLS certificate, for rediss:// (default: the"
              + " JDK's; env SIGNET_REDIS_CA_CERT_FILE).")
  Path redisCaCertFile;

  @Option(
      names = "--cache-hmac-key-file",
      defaultValue = "${env:SIGNET_CACHE_HMAC_KEY_FILE}",
      paramLabel = "FILE",
      description =
          "Key (at least 32 bytes) that authenticates shared cache entries; entries are written"
              + " with it (env SIGNET_CACHE_HMAC_KEY_FILE).")
  Path cacheHmacKeyFile;

  @Option(
      names = "--cache-hmac-previous-key-file",
      defaultValue = "${env:SIGNET_CACHE_HMAC_PREVIOUS_KEY_FILE}",
      paramLabel = "FILE",
      description =
          "The key being rotated out: entries it authenticates are still accepted (env"
              + " SIGNET_CACHE_HMAC_PREVIOUS_KEY_FILE).")
  Path cacheHmacPreviousKeyFile;

  /** The shared cache's connections, closed at shutdown; null with the in-process cache. */
  RedisResultCache sharedCache;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    HELIDON.setLevel(java.util.logging.Level.WARNING);
    SignetServer server;
    try {
      server = start(Clock.systemUTC());
    } catch (ConfigException
        | TlsMaterialException
        | IllegalArgumentException
        | io.fabric8.kubernetes.client.KubernetesClientException e) {
      err.println("signet: " + e.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop();
                  if (controller != null) {
                    controller.close();
                  }
                  if (sharedCache != null) {
                    sharedCache.close();
                  }
                  stopped.countDown();
                },
                "signet-shutdown"));
    stopped.await();
    return ExitCodes.VERIFIED;
  }

  /** Loads the configuration and starts the server; the caller stops it. */
  SignetServer start(Clock clock) throws ConfigException, TlsMaterialException {
    HostPort main = HostPort.parse(http, "0.0.0.0");
    HostPort health = healthPort == null ? null : HostPort.parse(healthPort, "0.0.0.0");
    HostPort metrics = metricsPort == null ? null : HostPort.parse(metricsPort, "0.0.0.0");
    AdmissionMode mode = AdmissionMode.parse(admissionMode);
    SignetServer.Builder builder;
    if (kubernetes || kubeconfig != null) {
      controller = startController(clock);
      builder = DecisionServer.builder(controller, mode, clock);
    } else {
      if (config == null) {
        throw new IllegalArgumentException(
            "give --config CONFIG.json, or --kubernetes / --kubeconfig FILE to read Ratify's"
                + " custom resources");
      }
      // The configuration and its trust material are re-read when they change.
      ConfigReloader reloader =
          ConfigReloader.load(config, VerificationConfig.Runtime.standard(clock));
      PrintWriter err = spec.commandLine().getErr();
      for (String w : reloader.config().warnings()) {
        err.println("signet: warning: " + w);
      }
      err.flush();
      builder =
          DecisionServer.builder(reloader, decisionCache(reloader.config(), err, clock), mode, clock);
    }
    SignetServer server =
        builder
            .http(main)
            .certDir(certDir)
            .clientCaFile(caCertFile)
            .minimumTlsVersion(tlsMinVersion)
            .healthAddress(health)
            .metricsAddress(metrics)
            .traceIdHeaders(traceIdHeaders)
            .build();
    try {
      return server.start();
    } catch (RuntimeException e) {
      if (controller != null) {
        controller.close();
      }
      throw e;
    }
  }

  /** Connects to the API server and starts watching Ratify's resources. */
  private ResourceController startController(Clock clock) {
    Config k8s;
    try {
      k8s =
          kubeconfig == null
              ? Config.autoConfigure(null)
              : Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the kubeconfig file " + kubeconfig + ": " + e.getMessage(), e);
    }
    KubernetesClient client = new KubernetesClientBuilder().withConfig(k8s).build();
    Path workDir;
    try {
      workDir = Files.createTempDirectory("signet-resources-");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a work directory: " + e.getMessage(), e);
    }
    return ResourceController.start(
        client,
        new ResourceController.Settings(
            config,
            workDir,
            VerificationConfig.Runtime.standard(clock),
            ProviderTypes.standard(clock),
            ConfigReloader.DEFAULT_INTERVAL));
  }

  /**
   * The cache the configuration asks for: in this process, or shared through Redis with the
   * connection and keys from the flags.
   */
  private ResultCache decisionCache(VerificationConfig loaded, PrintWriter err, Clock clock) {
    if (loaded.cacheType() == VerificationConfig.CacheType.MEMORY) {
      if (redisUrl != null) {
        err.println(
            "signet: warning: --redis-url is ignored: the configuration does not set cache.type"
                + " to \"redis\"");
        err.flush();
      }
      return new CaffeineResultCache();
    }
    if (redisUrl == null || cacheHmacKeyFile == null) {
      throw new IllegalArgumentException(
          "the configuration sets cache.type to \"redis\": give --redis-url (or SIGNET_REDIS_URL)"
              + " and --cache-hmac-key-file (or SIGNET_CACHE_HMAC_KEY_FILE)");
    }
    HmacKeys keys =
        HmacKeys.read(
            cacheHmacKeyFile,
            cacheHmacPreviousKeyFile == null ? List.of() : List.of(cacheHmacPreviousKeyFile));
    RedisEndpoint endpoint =
        new RedisEndpoint(
            redisUrl, redisPasswordFile, redisCaCertFile, RedisEndpoint.DEFAULT_TIMEOUT);
    sharedCache = RedisResultCache.connect(endpoint, keys, clock);
    return sharedCache;
  }
}
