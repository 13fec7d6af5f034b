package dev.signet.cli.demo;

import dev.signet.cli.kubernetes.KubernetesSource;
import dev.signet.engine.ConfigReloader;
import dev.signet.engine.VerificationConfig;
import dev.signet.kubernetes.ResourceController;
import dev.signet.kubernetes.kmp.ProviderTypes;
import dev.signet.kubernetes.resource.KeyManagementProvider;
import dev.signet.oci.Descriptor;
import dev.signet.server.HostPort;
import dev.signet.server.SignetServer;
import dev.signet.server.admission.AdmissionMode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code signet demo --kubernetes}: trust comes from Ratify's custom resources on an API server
 * (fabric8's mock server in CRUD mode, as no real one runs here), and changing a resource changes
 * the next decision without a restart.
 */
final class KubernetesDemo {
  private static final String SIGNER = "signet-demo-signer";
  private static final String KMP = "demo-ca";
  private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(60);

  private KubernetesDemo() {}

  static int run(Path work, PrintWriter out, DemoCluster cluster, Path logFile) throws Exception {
    Clock clock = Clock.systemUTC();
    Instant now = clock.instant();
    DemoPki first = DemoPki.create("Signet Demo Root CA", now);
    DemoPki second = DemoPki.create("Second Demo Root CA", now);
    DemoPki tlsCa = DemoPki.create("Signet Demo TLS CA", now);
    DemoPki.Identity tlsServer = tlsCa.issueServer("localhost");

    Path layoutDir = work.resolve("oci-layout");
    DemoLayout layout = new DemoLayout(layoutDir);
    String byFirst = DemoCommand.REGISTRY + "/app-a:v1";
    String bySecond = DemoCommand.REGISTRY + "/app-b:v1";
    sign(layout, "app-a", first);
    sign(layout, "app-b", second);
    Path tlsDir = Files.createDirectories(work.resolve("tls"));
    Files.writeString(tlsDir.resolve("tls.crt"), DemoCommand.pem(tlsServer.certificate()));
    DemoCommand.writePrivate(tlsDir.resolve("tls.key"), DemoCommand.pem(tlsServer.privateKey()));

    KubernetesClient k8s = cluster.client();
    out.println("signet demo --kubernetes: two images in " + layoutDir + ", app-a signed under"
        + " \"Signet Demo Root CA\", app-b under \"Second Demo Root CA\"");
    out.println("API server: " + cluster.description() + " at " + k8s.getConfiguration().getMasterUrl());
    out.println();
    out.println("$ kubectl apply -f store.yaml -f kmp.yaml -f verifier.yaml -f policy.yaml");
    apply(k8s, out, """
        apiVersion: config.ratify.deislabs.io/v1beta1
        kind: Store
        metadata:
          name: store-demo
        spec:
          name: ocilayout
          parameters:
            path: %s
        """.formatted(layoutDir));
    apply(k8s, out, kmp(first));
    apply(k8s, out, """
        apiVersion: config.ratify.deislabs.io/v1beta1
        kind: Verifier
        metadata:
          name: verifier-notation
        spec:
          name: notation
          artifactTypes: application/vnd.cncf.notary.signature
          parameters:
            verificationCertStores:
              ca:
                ca-certs:
                  - %s
            trustPolicyDoc:
              version: "1.0"
              trustPolicies:
                - name: demo
                  registryScopes: ["*"]
                  signatureVerification:
                    level: strict
                  trustStores: ["ca:ca-certs"]
                  trustedIdentities: ["*"]
        """.formatted(KMP));
    apply(k8s, out, """
        apiVersion: config.ratify.deislabs.io/v1beta1
        kind: Policy
        metadata:
          name: ratify-policy
        spec:
          type: config-policy
          parameters:
            artifactVerificationPolicies:
              application/vnd.cncf.notary.signature: any
        """);

    try (PrintStream log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8);
        ResourceController controller = ResourceController.start(k8s, new ResourceController.Settings(
            null, Files.createDirectories(work.resolve("resources")), VerificationConfig.Runtime.standard(clock),
            ProviderTypes.standard(clock), ConfigReloader.DEFAULT_INTERVAL))) {
      SignetServer server = KubernetesSource.server(controller, AdmissionMode.DENY, clock)
          .http(new HostPort("127.0.0.1", 0)).certDir(tlsDir).logStream(log).build();
      server.start();
      try {
        DemoCommand.Endpoint endpoint = new DemoCommand.Endpoint(
            URI.create("https://127.0.0.1:" + server.port()), DemoCommand.client(tlsCa.caCertificate()));
        out.println("server: " + endpoint.base() + " (signet serve --kubernetes, watching the resources)");
        out.println("$ kubectl get kmp " + KMP + "   ->  " + status(k8s));
        out.println();
        out.println("Gatekeeper asks the provider (" + DemoCommand.GATEKEEPER_VERIFY + "):");
        List<String> images = List.of(byFirst, bySecond);
        Map<String, Boolean> before = DemoCommand.gatekeeper(endpoint, images, out);
        out.println();
        out.println("$ kubectl edit kmp " + KMP + "   (spec.parameters.value: now \"Second Demo Root CA\")");
        apply(k8s, out, kmp(second));
        Instant start = Instant.now();
        Map<String, Boolean> after = before;
        PrintWriter quiet = new PrintWriter(PrintWriter.nullWriter());
        while (after.equals(before) && Duration.between(start, Instant.now()).compareTo(CHANGE_TIMEOUT) < 0) {
          Thread.sleep(50);
          after = DemoCommand.gatekeeper(endpoint, images, quiet);
        }
        out.println("the next decisions, " + Duration.between(start, Instant.now()).toMillis()
            + " ms after the edit, with no restart:");
        after = DemoCommand.gatekeeper(endpoint, images, out);
        out.println("$ kubectl get kmp " + KMP + "   ->  " + status(k8s));
        out.println();
        boolean passed = Map.of(byFirst, true, bySecond, false).equals(before)
            && Map.of(byFirst, false, bySecond, true).equals(after);
        out.println(passed
            ? "demo passed: app-a allowed and app-b denied, then after the edit app-a denied and app-b allowed"
            : "demo FAILED: expected app-a true, app-b false, then app-a false, app-b true; got "
                + before + " then " + after);
        return passed ? 0 : 1;
      } finally {
        server.stop();
      }
    }
  }

  private static void sign(DemoLayout layout, String name, DemoPki ca) throws Exception {
    DemoPki.Identity signer = ca.issueSigner(SIGNER);
    Descriptor image = layout.image(DemoCommand.REGISTRY + "/" + name, "v1");
    layout.signature(image, new JwsSigner(signer, List.of(signer.certificate(), ca.caCertificate()))
        .sign(image, Instant.now()));
  }

  private static String kmp(DemoPki ca) throws Exception {
    String pem = DemoCommand.pem(ca.caCertificate()).strip().replace("\n", "\n      ");
    return """
        apiVersion: config.ratify.deislabs.io/v1beta1
        kind: KeyManagementProvider
        metadata:
          name: %s
        spec:
          type: inline
          parameters:
            contentType: certificate
            value: |
              %s
        """.formatted(KMP, pem);
  }

  /** The printer columns of {@code kubectl get kmp}: IsSuccess and Error. */
  private static String status(KubernetesClient k8s) {
    KeyManagementProvider p = k8s.resources(KeyManagementProvider.class).withName(KMP).get();
    if (p == null || p.getStatus() == null) {
      return "no status yet";
    }
    var s = k8s.getKubernetesSerialization().convertValue(p.getStatus(), Map.class);
    return "issuccess=" + s.get("issuccess") + (s.get("brieferror") == null ? "" : " error=" + s.get("brieferror"));
  }

  /** Creates the resource, or replaces its spec (keeping the status the controller wrote). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void apply(KubernetesClient k8s, PrintWriter out, String yaml) {
    HasMetadata resource = k8s.getKubernetesSerialization().unmarshal(yaml);
    for (int attempt = 0; ; attempt++) {
      HasMetadata existing = k8s.resource(resource).get();
      try {
        if (existing == null) {
          k8s.resource(resource).create();
          out.println(resource.getKind().toLowerCase(java.util.Locale.ROOT) + ".config.ratify.deislabs.io/"
              + resource.getMetadata().getName() + " created");
        } else {
          resource.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
          if (resource instanceof CustomResource cr && existing instanceof CustomResource old) {
            cr.setStatus(old.getStatus());
          }
          k8s.resource(resource).update();
          out.println(resource.getKind().toLowerCase(java.util.Locale.ROOT) + ".config.ratify.deislabs.io/"
              + resource.getMetadata().getName() + " edited");
        }
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) {
          throw e;
        }
      }
    }
  }
}
