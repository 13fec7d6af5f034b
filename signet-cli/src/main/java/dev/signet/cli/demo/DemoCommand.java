package dev.signet.cli.demo;

import dev.signet.config.VerificationConfig;
import dev.signet.json.StrictJson;
import dev.signet.oci.Descriptor;
import dev.signet.oci.layout.OciLayoutStore;
import dev.signet.server.admission.AdmissionMode;
import dev.signet.server.admission.AdmissionOutcome;
import dev.signet.server.admission.AdmissionWebhook;
import dev.signet.server.admission.StoreImageResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code signet demo}: the cluster walkthrough on one machine. It makes a trusted CA and signer and
 * an untrusted one, three images (signed, unsigned, signed by the untrusted identity) in an OCI
 * layout, a Ratify configuration that trusts only the first CA, and then sends each image through
 * the admission webhooks the way the API server does for {@code kubectl run}: mutate (pin the tag
 * to a digest), then validate in deny mode.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the admission walkthrough on this machine with no setup: a trusted and an untrusted"
          + " signer, three images, and what kubectl run would show for each.",
      "Exit status: 0 when all three outcomes are the expected ones, 1 otherwise."
    })
public final class DemoCommand implements Callable<Integer> {
  static final String REGISTRY = "demo.signet.local";
  static final String WEBHOOK = "validate.signet.dev";
  private static final String SIGNER = "signet-demo-signer";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "Write the trust material, OCI layout and config.json here and keep them (default: a"
              + " temporary directory removed afterwards).")
  Path dir;

  /** One image of the walkthrough and the outcome it must have. */
  private record Case(String name, boolean admitted) {
    String image() {
      return REGISTRY + "/" + name + ":v1";
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path work =
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("signet-demo-");
    try {
      return run(work, out);
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
            new Case("signed", true), new Case("unsigned", false), new Case("untrusted", false));

    DemoPki trusted = DemoPki.create("Signet Demo Root CA", now);
    DemoPki.Identity signer = trusted.issueSigner(SIGNER);
    DemoPki rogue = DemoPki.create("Unknown Root CA", now);
    DemoPki.Identity rogueSigner = rogue.issueSigner(SIGNER);

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

    Path certs = Files.createDirectories(work.resolve("certs"));
    Files.writeString(certs.resolve("demo-ca.pem"), pem(trusted.caCertificate()));
    Path config = work.resolve("config.json");
    Files.write(config, config(cases));

    VerificationConfig loaded =
        VerificationConfig.load(config, VerificationConfig.Runtime.standard(clock));
    AdmissionWebhook webhook =
        new AdmissionWebhook(
            loaded.executor()::verify,
            new StoreImageResolver(List.of(new OciLayoutStore(layoutDir)), clock, loaded.timeout()),
            loaded.timeout().plus(Duration.ofSeconds(1)),
            AdmissionWebhook.DEFAULT_MAX_BODY_BYTES);

    out.println(
        "signet demo: a trusted CA and signer, an untrusted one, and three images in " + work);
    out.println(
        "The admission webhooks run in this process (bin/signet serve puts the same handler behind"
            + " HTTPS); each pod goes through mutate, then validate in deny mode.");
    out.println();
    int right = 0;
    for (Case c : cases) {
      out.println("$ kubectl run " + c.name() + " --image=" + c.image());
      boolean admitted = admit(webhook, c, out);
      if (admitted == c.admitted()) {
        right++;
      } else {
        out.println(
            "  (unexpected: the "
                + c.name()
                + " image should have been "
                + (c.admitted() ? "admitted" : "denied")
                + ")");
      }
    }
    out.println();
    if (right == cases.size()) {
      out.println("demo passed: signed created, unsigned denied, untrusted denied");
      return 0;
    }
    out.println(
        "demo FAILED: " + (cases.size() - right) + " of " + cases.size() + " outcomes were wrong");
    return 1;
  }

  /** Mutate, apply the patch, validate; prints what kubectl would print. */
  private static boolean admit(AdmissionWebhook webhook, Case c, PrintWriter out) throws Exception {
    String uid = java.util.UUID.randomUUID().toString();
    String image = c.image();
    JsonNode mutated =
        StrictJson.MAPPER
            .readTree(webhook.handleMutate(review(uid, c.name(), image)))
            .get("response");
    if (mutated.has("patch")) {
      JsonNode patch =
          StrictJson.MAPPER.readTree(Base64.getDecoder().decode(mutated.get("patch").asString()));
      for (JsonNode op : patch) {
        if (op.get("path").asString().equals("/spec/containers/0/image")) {
          image = op.get("value").asString();
        }
      }
    }
    for (JsonNode warning : mutated.path("warnings")) {
      out.println("Warning: " + warning.asString());
    }
    AdmissionOutcome outcome = webhook.validate(review(uid, c.name(), image), AdmissionMode.DENY);
    JsonNode response = StrictJson.MAPPER.readTree(outcome.body()).get("response");
    if (response.get("allowed").asBoolean()) {
      out.println("pod/" + c.name() + " created  (image pinned to " + image + ")");
      return true;
    }
    out.println(
        "Error from server: admission webhook \""
            + WEBHOOK
            + "\" denied the request: "
            + response.path("status").path("message").asString());
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

  /** Ratify's config.json: the layout, the notation verifier trusting only the demo CA. */
  private static byte[] config(List<Case> cases) {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.putObject("executor").put("verificationRequestTimeout", 5000);
    ObjectNode store = root.putObject("store").put("version", "1.0.0");
    store.putArray("plugins").addObject().put("name", "ocilayout").put("path", "oci-layout");
    root.putObject("policy")
        .put("version", "1.0.0")
        .putObject("plugin")
        .put("name", "configPolicy")
        .putObject("artifactVerificationPolicies")
        .put("application/vnd.cncf.notary.signature", "any");
    ObjectNode notation =
        root.putObject("verifier")
            .put("version", "1.0.0")
            .putArray("plugins")
            .addObject()
            .put("name", "notation")
            .put("artifactTypes", "application/vnd.cncf.notary.signature");
    notation.putArray("verificationCerts").add("certs");
    ObjectNode policyDoc = notation.putObject("trustPolicyDoc").put("version", "1.0");
    ObjectNode policy = policyDoc.putArray("trustPolicies").addObject().put("name", "demo");
    ArrayNode scopes = policy.putArray("registryScopes");
    cases.forEach(c -> scopes.add(REGISTRY + "/" + c.name()));
    policy.putObject("signatureVerification").put("level", "strict");
    policy.putArray("trustStores").add("ca:certs");
    policy
        .putArray("trustedIdentities")
        .add("x509.subject: C=US, ST=WA, O=Signet Demo, CN=" + SIGNER);
    return StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
  }

  private static String pem(X509Certificate certificate) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
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
