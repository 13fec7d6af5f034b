package dev.signet.kubernetes;

import dev.signet.cache.CaffeineResultCache;
import dev.signet.engine.VerificationConfig;
import dev.signet.kubernetes.kmp.ProviderTypes;
import dev.signet.kubernetes.resource.KeyManagementProvider;
import dev.signet.kubernetes.resource.NamespacedVerifier;
import dev.signet.kubernetes.resource.Policy;
import dev.signet.kubernetes.resource.ResourceStatus;
import dev.signet.kubernetes.resource.Store;
import dev.signet.kubernetes.resource.Verifier;
import dev.signet.result.VerificationResult;
import io.fabric8.kubernetes.client.CustomResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mock API server, signed images and a controller, for the controller's tests. */
public abstract class ControllerFixture {
  static final String SAMPLES =
      "testdata/vectors/ratify-v1.4.0/config/samples/";

  @TempDir Path dir;
  MockCluster cluster;
  SignedImages images;
  ResourceController controller;
  NamespaceDecisions decisions;

  @BeforeEach
  void start() throws Exception {
    cluster = new MockCluster();
    images = new SignedImages(dir);
  }

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
    cluster.close();
  }

  public static Path repo() {
    String root = System.getenv("SIGNET_REPO_ROOT");
    return root == null ? Path.of("..") : Path.of(root);
  }

  public static String sample(String path) throws Exception {
    return Files.readString(repo().resolve(SAMPLES + path));
  }

  public static String inlineKmp(String kind, String name, String pem) {
    return "apiVersion: config.ratify.deislabs.io/v1beta1\nkind: " + kind + "\nmetadata:\n  name: "
        + name + "\nspec:\n  type: inline\n  parameters:\n    contentType: certificate\n    value: |\n"
        + pem.lines().map(l -> "      " + l + "\n").reduce("", String::concat);
  }

  public static String layoutStore(String kind, String name, Path layout) {
    return "apiVersion: config.ratify.deislabs.io/v1beta1\nkind: " + kind + "\nmetadata:\n  name: "
        + name + "\nspec:\n  name: ocilayout\n  parameters:\n    path: " + layout + "\n";
  }

  void startController() {
    startController(
        VerificationConfig.Runtime.standard(Clock.systemUTC(), dir.resolve("crl")),
        ProviderTypes.standard(Clock.systemUTC()));
  }

  /**
   * A controller on {@code runtime}, whose clock the refresh schedule and the certificate checks
   * follow, with the provider types {@code types}.
   */
  void startController(VerificationConfig.Runtime runtime, ProviderTypes types) {
    controller =
        ResourceController.start(
            cluster.client,
            new ResourceController.Settings(null, dir.resolve("work"), runtime, types, Duration.ZERO));
    decisions = new NamespaceDecisions(controller, new CaffeineResultCache(), runtime.clock());
  }

  /** The baseline Ratify's chart creates: its inline provider (with our CA A), notation verifier, policy. */
  void applyBaseline() throws Exception {
    cluster.apply(inlineKmp("KeyManagementProvider", "ratify-notation-inline-cert-0", images.caA), null);
    cluster.apply(layoutStore("Store", "store-layout", images.layout), null);
    cluster.apply(sample("clustered/verifier/config_v1beta1_verifier_notation.yaml"), null);
    cluster.apply(sample("clustered/policy/config_v1beta1_policy_json.yaml"), null);
  }

  /** Namespace tenant-b's own provider (with CA B) and notation verifier naming it. */
  void applyTenantB() throws Exception {
    cluster.apply(inlineKmp("NamespacedKeyManagementProvider", "tenant-b-ca", images.caB), "tenant-b");
    cluster.apply(
        sample("namespaced/verifier/config_v1beta1_verifier_notation.yaml")
            .replace("default/ratify-notation-inline-cert-0", "tenant-b/tenant-b-ca"),
        "tenant-b");
  }

  boolean allowed(String namespace, String image) {
    return decisions.verify(namespace, image).isSuccess();
  }

  <T extends CustomResource<?, ? extends ResourceStatus>> ResourceStatus status(
      Class<T> kind, String namespace, String name) {
    T r = cluster.get(kind, namespace, name);
    return r == null ? null : r.getStatus();
  }

  void awaitAllowed(String namespace, String image, boolean expected) throws Exception {
    MockCluster.await(
        image + " is " + (expected ? "allowed" : "denied") + " in namespace '" + namespace + "'",
        () -> allowed(namespace, image) == expected);
  }
}
