package dev.signet.cli.demo;

import dev.signet.server.DecisionServer;
import dev.signet.engine.ConfigReloader;
import dev.signet.engine.VerificationConfig;
import dev.signet.json.StrictJson;
import dev.signet.oci.Descriptor;
import dev.signet.server.HostPort;
import dev.signet.server.SignetServer;
import dev.signet.server.admission.AdmissionMode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code signet demo}: the cluster walkthrough on one machine. It makes a trusted CA and signer and
 * an untrusted one, a cosign key, five images (signed, unsigned, signed by the untrusted identity,
 * signed with the cosign key, signed with it and then edited) in an OCI
 * layout, a Ratify configuration that trusts only the first CA; it then starts the server with
 * TLS on the loopback interface, wired as {@code signet serve} wires it, and sends over HTTPS what
 * the API server sends for {@code kubectl run} (mutate, which pins the tag to a digest, then
 * validate in deny mode) and what Gatekeeper sends to the external data provider.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the admission walkthrough on this machine with no setup: a trusted and an untrusted"
          + " signer, a cosign key, five images, the server over HTTPS on 127.0.0.1, what kubectl run would"
          + " show for each image and what the Gatekeeper provider answers.",
      "Exit status: 0 when all outcomes are the expected ones, 1 otherwise."
    })
public final class DemoCommand implements Callable<Integer> {
  static final String REGISTRY = "demo.signet.local";
  static final String WEBHOOK = "validate.signet.dev";
  static final String GATEKEEPER_VERIFY = "/ratify/gatekeeper/v1/verify";
  private static final String SIGNER = "signet-demo-signer";
  // Helidon logs its start-up lines in text through JUL; above INFO only, so the demo's output
  // stays readable (a strong reference keeps the level: JUL holds loggers weakly).
  private static final Logger HELIDON = Logger.getLogger("io.helidon");
  // The mock API server logs every request, the controller every generation: kept off the output.
  private static final List<Logger> KUBERNETES =
      List.of(Logger.getLogger("io.fabric8"), Logger.getLogger("dev.signet.kubernetes"));

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "Write the trust material, OCI layout and config.json here and keep them (default: a"
              + " temporary directory removed afterwards).")
  Path dir;

  @Option(
      names = "--kubernetes",
      description =
          "Take trust from Ratify's custom resources on an API server (fabric8's mock server, from"
              + " the signet-demo module) and change it through a resource: the next decision"
              + " changes with no restart.")
  boolean kubernetes;

  /** One image of the walkthrough, whether cosign signs it (else notation), and its outcome. */
  private record Case(String name, boolean cosign, boolean admitted) {
    String image() {
      return REGISTRY + "/" + name + ":v1";
    }

    String repository() {
      return REGISTRY + "/" + name;
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path work =
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("signet-demo-");
    try {
      return kubernetes ? runKubernetes(work, out) : run(work, out);
    } finally {
      out.flush();
      if (dir == null) {
        deleteTree(work);
      }
    }
  }

  private int run(Path work, PrintWriter out) throws Exception {
    Clock clock = Clock.systemUTC();
    Instant now = clock.instant();
    List<Case> cases =
        List.of(
            new Case("signed", false, true),
            new Case("unsigned", false, false),
            new Case("untrusted", false, false),
            new Case("cosigned", true, true),
            new Case("tampered", true, false));

    DemoPki trusted = DemoPki.create("Signet Demo Root CA", now);
    DemoPki.Identity signer = trusted.issueSigner(SIGNER);
    DemoPki rogue = DemoPki.create("Unknown Root CA", now);
    DemoPki.Identity rogueSigner = rogue.issueSigner(SIGNER);
    // The HTTPS listener has its own CA: the one the API server and Gatekeeper are told to trust
    // (caBundle), unrelated to the code-signing trust store.
    DemoPki tlsCa = DemoPki.create("Signet Demo TLS CA", now);
    DemoPki.Identity tlsServer = tlsCa.issueServer("localhost");

    Path layoutDir = work.resolve("oci-layout");
    DemoLayout layout = new DemoLayout(layoutDir);
    Descriptor signed = layout.image(REGISTRY + "/signed", "v1");
    layout.image(REGISTRY + "/unsigned", "v1");
    Descriptor untrusted = layout.image(REGISTRY + "/untrusted", "v1");
    layout.signature(
        signed,
        new JwsSigner(signer, List.of(signer.certificate(), trusted.caCertificate()))
            .sign(signed, now));
    layout.signature(
        untrusted,
        new JwsSigner(rogueSigner, List.of(rogueSigner.certificate(), rogue.caCertificate()))
            .sign(untrusted, now));
    DemoCosignSigner cosign = DemoCosignSigner.generate();
    cosign.sign(layout, REGISTRY + "/cosigned", layout.image(REGISTRY + "/cosigned", "v1"));
    cosign.signThenTamper(
        layout, REGISTRY + "/tampered", layout.image(REGISTRY + "/tampered", "v1"));

    Path certs = Files.createDirectories(work.resolve("certs"));
    Files.writeString(certs.resolve("demo-ca.pem"), pem(trusted.caCertificate()));
    Files.writeString(work.resolve("cosign.pub"), cosign.publicKeyPem());
    Path tlsDir = Files.createDirectories(work.resolve("tls"));
    Files.writeString(tlsDir.resolve("tls.crt"), pem(tlsServer.certificate()));
    writePrivate(tlsDir.resolve("tls.key"), pem(tlsServer.privateKey()));
    Files.writeString(tlsDir.resolve("ca.crt"), pem(tlsCa.caCertificate()));
    Path config = work.resolve("config.json");
    Files.write(config, config(cases));

    ConfigReloader reloader =
        ConfigReloader.load(config, VerificationConfig.Runtime.standard(clock));
    HELIDON.setLevel(Level.WARNING);
    Path logFile = work.resolve("server.log");
    try (PrintStream log =
        new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8)) {
      SignetServer server =
          DecisionServer.builder(reloader, AdmissionMode.DENY, clock)
              .http(new HostPort("127.0.0.1", 0))
              .certDir(tlsDir)
              .logStream(log)
              .build();
      server.start();
      try {
        URI base = URI.create("https://127.0.0.1:" + server.port());
        Endpoint endpoint = new Endpoint(base, client(tlsCa.caCertificate()));
        out.println(
            "signet demo: a trusted CA and signer, an untrusted one, a cosign key, and five images"
                + " in "
                + work);
        out.println(
            "server: "
                + base
                + " (bin/signet serve, TLS certificate from the demo's own TLS CA; its JSON log"
                + " goes to "
                + (dir != null ? logFile.toString() : "server.log, kept with --dir")
                + ")");
        out.println();
        int wrong = 0;
        out.println(
            "The API server (validating admission webhook "
                + WEBHOOK
                + ", deny mode): /admission/mutate, then /admission/validate");
        for (Case c : cases) {
          out.println("$ kubectl run " + c.name() + " --image=" + c.image());
          boolean admitted = admit(endpoint, c, out);
          if (admitted != c.admitted()) {
            wrong++;
            out.println(unexpected(c, admitted ? "admitted" : "denied"));
          }
        }
        out.println();
        out.println("Gatekeeper (external data provider): " + GATEKEEPER_VERIFY);
        Map<String, Boolean> answers = gatekeeper(endpoint, cases.stream().map(Case::image).toList(), out);
        for (Case c : cases) {
          Boolean success = answers.get(c.image());
          if (success == null || success != c.admitted()) {
            wrong++;
            out.println(unexpected(c, "isSuccess=" + success));
          }
        }
        out.println();
        int total = cases.size() * 2;
        if (wrong == 0) {
          out.println(
              "demo passed: "
                  + String.join(
                      ", ",
                      cases.stream()
                          .map(c -> c.name() + (c.admitted() ? " created" : " denied"))
                          .toList())
                  + "; Gatekeeper isSuccess "
                  + String.join(
                      ", ", cases.stream().map(c -> String.valueOf(c.admitted())).toList()));
          return 0;
        }
        out.println("demo FAILED: " + wrong + " of " + total + " outcomes were wrong");
        return 1;
      } finally {
        server.stop();
      }
    }
  }

  private int runKubernetes(Path work, PrintWriter out) throws Exception {
    var factory = java.util.ServiceLoader.load(DemoCluster.Factory.class).findFirst();
    if (factory.isEmpty()) {
      out.println("signet demo --kubernetes needs an API server: the signet-demo module provides"
          + " fabric8's mock API server, which the shipped command line does not include. Build it"
          + " with ./mvnw -B -DskipTests package (or -pl signet-demo -am) and run bin/signet demo"
          + " --kubernetes again.");
      return 2;
    }
    HELIDON.setLevel(Level.WARNING);
    KUBERNETES.forEach(l -> l.setLevel(Level.WARNING));
    try (DemoCluster cluster = factory.get().start()) {
      return KubernetesDemo.run(work, out, cluster, work.resolve("server.log"));
    }
  }

  private static String unexpected(Case c, String got) {
    return "  (unexpected: the "
        + c.name()
        + " image should have been "
        + (c.admitted() ? "admitted" : "denied")
        + ", got "
        + got
        + ")";
  }

  /** The server's address and an HTTPS client that trusts only the demo's TLS CA. */
  record Endpoint(URI base, HttpClient client) {
    JsonNode post(String path, byte[] body) throws IOException, InterruptedException {
      HttpResponse<byte[]> response =
          client.send(
              HttpRequest.newBuilder(base.resolve(path))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IOException(
            "POST "
                + path
                + " answered HTTP "
                + response.statusCode()
                + ": "
                + new String(response.body(), StandardCharsets.UTF_8));
      }
      return StrictJson.MAPPER.readTree(response.body());
    }
  }

  static HttpClient client(X509Certificate ca) throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("signet-demo-tls-ca", ca);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder()
        .sslContext(tls)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  /**
   * What Gatekeeper sends for a constraint that calls the provider: one ProviderRequest with every
   * image; prints one line per item and returns each image's isSuccess (false for an item error).
   */
  static Map<String, Boolean> gatekeeper(Endpoint endpoint, List<String> images, PrintWriter out)
      throws IOException, InterruptedException {
    ObjectNode request = StrictJson.MAPPER.createObjectNode();
    request.put("apiVersion", "externaldata.gatekeeper.sh/v1beta1");
    request.put("kind", "ProviderRequest");
    ArrayNode keys = request.putObject("request").putArray("keys");
    images.forEach(keys::add);
    JsonNode response =
        endpoint.post(GATEKEEPER_VERIFY, StrictJson.MAPPER.writeValueAsBytes(request)).path("response");
    String systemError = response.path("systemError").asString("");
    if (!systemError.isEmpty()) {
      out.println("gatekeeper: systemError: " + systemError);
    }
    Map<String, Boolean> answers = new LinkedHashMap<>();
    for (JsonNode item : response.path("items")) {
      String key = item.path("key").asString();
      String error = item.path("error").asString("");
      JsonNode value = item.path("value");
      if (!error.isEmpty() || !value.has("isSuccess")) {
        out.println("gatekeeper: " + key + " isSuccess=false error: " + error);
        answers.put(key, false);
      } else {
        boolean success = value.get("isSuccess").asBoolean();
        out.println("gatekeeper: " + key + " isSuccess=" + success);
        answers.put(key, success);
      }
    }
    return answers;
  }

  /** Mutate, apply the patch, validate; prints what kubectl would print. */
  private static boolean admit(Endpoint endpoint, Case c, PrintWriter out)
      throws IOException, InterruptedException {
    String uid = UUID.randomUUID().toString();
    String image = c.image();
    JsonNode mutated =
        endpoint.post("/admission/mutate", review(uid, c.name(), image)).path("response");
    if (mutated.has("patch")) {
      JsonNode patch =
          StrictJson.MAPPER.readTree(Base64.getDecoder().decode(mutated.get("patch").asString()));
      for (JsonNode op : patch) {
        if (op.path("path").asString("").equals("/spec/containers/0/image")) {
          image = op.get("value").asString();
        }
      }
    }
    for (JsonNode warning : mutated.path("warnings")) {
      out.println("Warning: " + warning.asString());
    }
    JsonNode response =
        endpoint.post("/admission/validate", review(uid, c.name(), image)).path("response");
    for (JsonNode warning : response.path("warnings")) {
      out.println("Warning: " + warning.asString());
    }
    if (response.path("allowed").asBoolean(false)) {
      out.println("pod/" + c.name() + " created  (image pinned to " + image + ")");
      return true;
    }
    out.println(
        "Error from server: admission webhook \""
            + WEBHOOK
            + "\" denied the request: "
            + response.path("status").path("message").asString(""));
    return false;
  }

  /** What the API server sends for {@code kubectl run NAME --image=IMAGE}. */
  private static byte[] review(String uid, String name, String image) {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.put("apiVersion", "admission.k8s.io/v1");
    root.put("kind", "AdmissionReview");
    ObjectNode request = root.putObject("request");
    request.put("uid", uid);
    request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
    request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
    request.put("name", name);
    request.put("namespace", "default");
    request.put("operation", "CREATE");
    request.putObject("userInfo").put("username", "kubernetes-admin");
    ObjectNode pod = request.putObject("object");
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    pod.putObject("metadata").put("name", name).put("namespace", "default");
    pod.putObject("spec").putArray("containers").addObject().put("name", name).put("image", image);
    request.put("dryRun", false);
    return StrictJson.MAPPER.writeValueAsBytes(root);
  }

  /**
   * Ratify's config.json: the layout (with cosign's tags), every signature found must verify
   * (Ratify's default policy), the notation verifier trusting only the demo CA, the cosign verifier
   * only the demo's key.
   */
  private static byte[] config(List<Case> cases) {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.putObject("executor").put("verificationRequestTimeout", 5000);
    ObjectNode store = root.putObject("store").put("version", "1.0.0");
    store
        .putArray("plugins")
        .addObject()
        .put("name", "ocilayout")
        .put("path", "oci-layout")
        .put("cosignEnabled", true);
    root.putObject("policy")
        .put("version", "1.0.0")
        .putObject("plugin")
        .put("name", "configPolicy")
        .putObject("artifactVerificationPolicies")
        .put("default", "all");
    ArrayNode verifiers = root.putObject("verifier").put("version", "1.0.0").putArray("plugins");
    ObjectNode cosign =
        verifiers
            .addObject()
            .put("name", "cosign")
            .put("artifactTypes", "application/vnd.dev.cosign.artifact.sig.v1+json");
    ObjectNode keyed = cosign.putArray("trustPolicies").addObject().put("name", "demo-key");
    ArrayNode cosignScopes = keyed.putArray("scopes");
    cases.stream().filter(Case::cosign).forEach(c -> cosignScopes.add(c.repository()));
    keyed.putArray("keys").addObject().put("file", "cosign.pub");
    keyed.put("tLogVerify", false);
    ObjectNode notation =
        verifiers
            .addObject()
            .put("name", "notation")
            .put("artifactTypes", "application/vnd.cncf.notary.signature");
    notation.putArray("verificationCerts").add("certs");
    ObjectNode policyDoc = notation.putObject("trustPolicyDoc").put("version", "1.0");
    ObjectNode policy = policyDoc.putArray("trustPolicies").addObject().put("name", "demo");
    ArrayNode scopes = policy.putArray("registryScopes");
    cases.stream().filter(c -> !c.cosign()).forEach(c -> scopes.add(c.repository()));
    policy.putObject("signatureVerification").put("level", "strict");
    policy.putArray("trustStores").add("ca:certs");
    policy
        .putArray("trustedIdentities")
        .add("x509.subject: C=US, ST=WA, O=Signet Demo, CN=" + SIGNER);
    return StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
  }

  static String pem(X509Certificate certificate) throws Exception {
    return pem("CERTIFICATE", certificate.getEncoded());
  }

  /** PKCS#8 ("PRIVATE KEY"), which the server reads from {@code tls.key}. */
  static String pem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  /** Writes a file only its owner can read, where the file system has POSIX permissions. */
  static void writePrivate(Path file, String text) throws IOException {
    Files.createFile(file);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the directory is the demo's own.
    }
    Files.writeString(file, text);
  }

  private static void deleteTree(Path root) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
