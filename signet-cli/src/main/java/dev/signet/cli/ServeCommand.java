package dev.signet.cli;

// `signet serve` (cli-contract.md): Ratify's server flags (ratify-reference.md §5) on SignetServer.

import dev.signet.cache.CaffeineResultCache;
import dev.signet.cache.HmacKeys;
import dev.signet.cache.RedisEndpoint;
import dev.signet.cache.RedisResultCache;
import dev.signet.cache.ResultCache;
import dev.signet.cli.kubernetes.KubernetesSource;
import dev.signet.config.ConfigException;
import dev.signet.engine.ConfigReloader;
import dev.signet.engine.VerificationConfig;
import dev.signet.kubernetes.ResourceController;
import dev.signet.kubernetes.kmp.ProviderTypes;
import dev.signet.kubernetes.rotation.CertificateRotation;
import dev.signet.artifact.AgeLimit;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import dev.signet.server.DecisionServer;
import dev.signet.server.HostPort;
import dev.signet.server.JsonLog;
import dev.signet.server.ListenException;
import dev.signet.server.SignetServer;
import dev.signet.server.TlsMaterialException;
import dev.signet.server.admission.AdmissionMode;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
      "Everything it logs on stderr is one line per event, JSON unless config.json's"
          + " logger.formatter says text or logstash.",
      "Exit status: 2 for a usage, configuration or TLS file error or an address that cannot be"
          + " listened on (one line on stderr, nothing started); 1 when a listener stops accepting"
          + " connections while serving (for example out of file descriptors): health turns red"
          + " and the process exits so that it is restarted."
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

  @Option(
      names = "--cert-rotation",
      description =
          "Kubernetes mode: make the serving CA and certificate, keep them in the Secret"
              + " --tls-secret, replace them --cert-rotation-lead before they expire, and keep the"
              + " CA bundle of the Gatekeeper Providers and the webhook configurations current."
              + " Also on when RATIFY_CERT_ROTATION is 1 or true (Ratify's chart flag).")
  boolean certRotation;

  @Option(
      names = "--tls-secret",
      paramLabel = "NAME",
      description =
          "With --cert-rotation: the Secret (in RATIFY_NAMESPACE, else the kubeconfig's namespace)"
              + " holding ca.crt, ca.key, tls.crt and tls.key (default: SERVICE-tls).")
  String tlsSecret;

  @Option(
      names = "--service-name",
      defaultValue = "${env:RATIFY_NAME:-signet}",
      paramLabel = "SERVICE",
      description =
          "With --cert-rotation: the Service the certificate is for, named SERVICE, SERVICE.NS,"
              + " SERVICE.NS.svc and SERVICE.NS.svc.cluster.local (default: RATIFY_NAME, else"
              + " ${DEFAULT-VALUE}).")
  String serviceName;

  @Option(
      names = "--gatekeeper-provider",
      paramLabel = "NAME",
      description =
          "With --cert-rotation: a Gatekeeper Provider (externaldata.gatekeeper.sh) whose"
              + " spec.caBundle is kept current, when it exists (repeatable; default ratify-provider"
              + " and ratify-mutation-provider).")
  List<String> gatekeeperProviders = new ArrayList<>();

  @Option(
      names = "--webhook-configuration",
      paramLabel = "NAME",
      description =
          "With --cert-rotation: a Validating/MutatingWebhookConfiguration whose caBundle is kept"
              + " current, when it exists (repeatable; default SERVICE-validate and SERVICE-mutate).")
  List<String> webhookConfigurations = new ArrayList<>();

  @Option(
      names = "--cert-validity",
      defaultValue = "8760h",
      paramLabel = "DURATION",
      description = "With --cert-rotation: how long a new CA and certificate are valid (default ${DEFAULT-VALUE}).")
  String certValidity;

  @Option(
      names = "--cert-rotation-lead",
      defaultValue = "720h",
      paramLabel = "DURATION",
      description =
          "With --cert-rotation: how long before expiry they are replaced (default ${DEFAULT-VALUE}).")
  String certRotationLead;

  /** The controller when the configuration comes from custom resources; closed after the server. */
  ResourceController controller;

  /** The certificate rotation, with --cert-rotation; closed after the server. */
  CertificateRotation rotation;

  /** The API server's client in Kubernetes mode; closed after the controller. */
  KubernetesClient client;

  /** The controller's private work directory, deleted when the controller is closed. */
  Path workDir;

  /** How often the rotation checks the Secret and the CA bundles. */
  Duration rotationInterval = Duration.ofMinutes(1);

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
      names = "--max-connections",
      defaultValue = "1000",
      paramLabel = "N",
      description =
          "Connections the HTTPS listener serves at once (default ${DEFAULT-VALUE}); one more is"
              + " answered 503 with a reason and closed.")
  int maxConnections;

  @Option(
      names = "--max-keys",
      defaultValue = "1000",
      paramLabel = "N",
      description =
          "Image keys one Gatekeeper request may carry (default ${DEFAULT-VALUE}); more is answered"
              + " 400 with a reason.")
  int maxKeys;

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
      names = "--redis-timeout-ms",
      defaultValue = "${env:SIGNET_REDIS_TIMEOUT_MS:-250}",
      paramLabel = "MS",
      description =
          "How long one Redis command (connecting too) may take before the replica works alone for"
              + " a second (default 250; env SIGNET_REDIS_TIMEOUT_MS).")
  int redisTimeoutMs;

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
  public Integer call() throws InterruptedException, ExecutionException {
    PrintWriter err = spec.commandLine().getErr();
    SignetServer server;
    try {
      server = start(Clock.systemUTC());
    } catch (ConfigException
        | TlsMaterialException
        | ListenException
        | IllegalArgumentException
        | io.fabric8.kubernetes.client.KubernetesClientException e) {
      err.println("signet: " + e.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop();
                  closeKubernetes();
                  if (sharedCache != null) {
                    sharedCache.close();
                  }
                  exit.complete(ExitCodes.VERIFIED);
                },
                "signet-shutdown"));
    server.failure().thenRun(() -> exit.complete(ExitCodes.FAILED));
    int code = exit.get();
    server.stop();
    return code;
  }

  /** Loads the configuration and starts the server; the caller stops it. */
  SignetServer start(Clock clock) throws ConfigException, TlsMaterialException, ListenException {
    HostPort main = HostPort.parse(http, "0.0.0.0");
    HostPort health = healthPort == null ? null : HostPort.parse(healthPort, "0.0.0.0");
    HostPort metrics = metricsPort == null ? null : HostPort.parse(metricsPort, "0.0.0.0");
    AdmissionMode mode = AdmissionMode.parse(admissionMode);
    LoggerSettings logger =
        config == null
            ? LoggerSettings.fromEnvironment(System.getenv("RATIFY_LOG_LEVEL"))
            : LoggerSettings.read(config, System.getenv("RATIFY_LOG_LEVEL"));
    JsonLog log = new JsonLog(System.err, clock, logger.format(), logger.level());
    routeJavaLogging(log);
    List<String> traceHeaders = new ArrayList<>(traceIdHeaders);
    logger.traceIdHeaders().stream().filter(h -> !traceHeaders.contains(h)).forEach(traceHeaders::add);
    SignetServer.Builder builder;
    boolean rotate = certRotation || isOn(System.getenv("RATIFY_CERT_ROTATION"));
    if (kubernetes || kubeconfig != null) {
      client = connect();
      try {
        if (rotate) {
          rotation = CertificateRotation.start(client, rotationSettings(client, clock));
        }
        controller = startController(client, clock);
      } catch (RuntimeException e) {
        closeKubernetes();
        throw e;
      }
      builder = KubernetesSource.server(controller, mode, clock);
    } else {
      if (rotate) {
        throw new IllegalArgumentException(
            "certificate rotation keeps its Secret in Kubernetes: give --kubernetes or --kubeconfig");
      }
      if (config == null) {
        throw new IllegalArgumentException(
            "give --config CONFIG.json, or --kubernetes / --kubeconfig FILE to read Ratify's"
                + " custom resources");
      }
      // The configuration and its trust material are re-read when they change.
      ConfigReloader reloader =
          ConfigReloader.load(config, VerificationConfig.Runtime.standard(clock));
      for (String w : reloader.config().warnings()) {
        log.warn(config + ": " + w);
      }
      builder =
          DecisionServer.builder(reloader, decisionCache(reloader.config(), log, clock), mode, clock);
    }
    SignetServer server =
        builder
            .http(main)
            .certDir(certDir)
            .clientCaFile(caCertFile)
            .minimumTlsVersion(tlsMinVersion)
            .healthAddress(health)
            .metricsAddress(metrics)
            .traceIdHeaders(traceHeaders)
            .maxConnections(maxConnections)
            .maxKeys(maxKeys)
            .log(log)
            .build();
    try {
      return server.start();
    } catch (RuntimeException e) {
      closeKubernetes();
      throw e;
    }
  }

  /**
   * Stops the certificate rotation and the controller and deletes the controller's work directory
   * (the trust material it fetched); nothing to do in file mode.
   */
  void closeKubernetes() {
    if (rotation != null) {
      rotation.close();
    }
    if (controller != null) {
      controller.close();
    }
    if (client != null) {
      client.close();
    }
    if (workDir != null) {
      try (var files = Files.walk(workDir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        System.getLogger(ServeCommand.class.getName()).log(System.Logger.Level.WARNING,
            "cannot delete the work directory " + workDir + ": " + e.getMessage());
      }
    }
  }

  private static boolean isOn(String flag) {
    return flag != null && (flag.equals("1") || flag.equalsIgnoreCase("true"));
  }

  private CertificateRotation.Settings rotationSettings(KubernetesClient client, Clock clock) {
    String namespace = System.getenv("RATIFY_NAMESPACE");
    if (namespace == null || namespace.isBlank()) {
      namespace = client.getConfiguration().getNamespace();
    }
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException(
          "certificate rotation needs the namespace of its Secret: set RATIFY_NAMESPACE or the"
              + " kubeconfig context's namespace");
    }
    String svc = serviceName;
    List<String> dns = List.of(
        svc, svc + "." + namespace, svc + "." + namespace + ".svc", svc + "." + namespace + ".svc.cluster.local");
    return new CertificateRotation.Settings(
        namespace,
        tlsSecret != null ? tlsSecret : svc + "-tls",
        dns,
        gatekeeperProviders.isEmpty() ? List.of("ratify-provider", "ratify-mutation-provider") : gatekeeperProviders,
        webhookConfigurations.isEmpty() ? List.of(svc + "-validate", svc + "-mutate") : webhookConfigurations,
        certDir,
        AgeLimit.parse(certValidity),
        AgeLimit.parse(certRotationLead),
        rotationInterval,
        clock);
  }

  /** A client for the cluster this runs in, or the --kubeconfig one. */
  private KubernetesClient connect() {
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
    return new KubernetesClientBuilder().withConfig(k8s).build();
  }

  /** Starts watching Ratify's resources. */
  private ResourceController startController(KubernetesClient client, Clock clock) {
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
  private ResultCache decisionCache(VerificationConfig loaded, JsonLog log, Clock clock) {
    if (loaded.cacheType() == VerificationConfig.CacheType.MEMORY) {
      if (redisUrl != null) {
        log.warn("--redis-url is ignored: the configuration does not set cache.type to \"redis\"");
      }
      return CaffeineResultCache.bounded(loaded.cacheBounds());
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
            redisUrl, redisPasswordFile, redisCaCertFile, Duration.ofMillis(redisTimeoutMs));
    sharedCache = RedisResultCache.connect(endpoint, keys, clock);
    return sharedCache;
  }

  /**
   * Sends every {@code java.util.logging} record (Helidon's, the JDK's, the configuration
   * reloader's) through the server's log, so that stderr holds nothing else; Helidon's own
   * start-up lines stay below the threshold.
   */
  private static void routeJavaLogging(JsonLog log) {
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    for (java.util.logging.Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    root.addHandler(log.javaLogging());
    HELIDON.setLevel(java.util.logging.Level.WARNING);
  }
}
