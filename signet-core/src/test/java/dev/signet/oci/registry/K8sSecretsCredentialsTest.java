package dev.signet.oci.registry;

// k8Secrets against a local HTTPS stand-in for the Kubernetes API's core/v1 Secret and
// ServiceAccount GETs (a mock: no API server can run here), pulling from a real registry with
// the credentials found.

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.signet.testkit.DistributionRegistry;
import dev.signet.testkit.LocalHttpServer;
import dev.signet.testkit.TestTls;
import dev.signet.deadline.Deadline;
import dev.signet.oci.Descriptor;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class K8sSecretsCredentialsTest {
  static final String TOKEN = "service-account-token-value";
  static final Clock CLOCK = Clock.systemUTC();

  @TempDir static Path dir;
  static DistributionRegistry registry;
  static Reference image;
  static Descriptor pushed;
  static LocalHttpServer api;
  static TestTls.Loopback tls;
  static final Map<String, String> objects = new ConcurrentHashMap<>();
  static final List<String> requests = new CopyOnWriteArrayList<>();
  Path serviceAccount;
  Map<String, String> env;

  @BeforeAll
  static void start() throws Exception {
    registry = DistributionRegistry.start(dir.resolve("registry"), true, false);
    image = Reference.parse(registry.host() + "/team/app:v1");
    try (RegistryPusher pusher = RegistryPusher.withDockerConfig(
        registry.dockerConfig(DistributionRegistry.USER, DistributionRegistry.PASSWORD))) {
      pushed = pusher.image(image, "k8s secrets image");
    }
    tls = TestTls.loopback(dir.resolve("api"), "Signet test Kubernetes API");
    api = new LocalHttpServer(tls.server(), 0);
    api.handle("*", K8sSecretsCredentialsTest::handle);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (api != null) {
      api.close();
    }
  }

  private static void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      requests.add(path);
      String body;
      int status;
      if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        status = 401;
        body = "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Unauthorized\",\"code\":401}";
      } else if (objects.containsKey(path)) {
        status = objects.get(path).startsWith("403") ? 403 : 200;
        body = status == 403 ? "{\"kind\":\"Status\",\"reason\":\"Forbidden\",\"code\":403}" : objects.get(path);
      } else {
        status = 404;
        body = "{\"kind\":\"Status\",\"reason\":\"NotFound\",\"code\":404}";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, bytes.length);
      ex.getResponseBody().write(bytes);
    }
  }

  static String dockerConfigJsonSecret(String name, String host, String user, String password, boolean legacy) {
    String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    String entries = "{\"" + host + "\":{\"auth\":\"" + auth + "\"}}";
    String config = legacy ? entries : "{\"auths\":" + entries + "}";
    String key = legacy ? ".dockercfg" : ".dockerconfigjson";
    String type = legacy ? "kubernetes.io/dockercfg" : "kubernetes.io/dockerconfigjson";
    return "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name + "\"},\"type\":\""
        + type + "\",\"data\":{\"" + key + "\":\""
        + Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8)) + "\"}}";
  }

  @BeforeEach
  void serviceAccountFiles() throws Exception {
    objects.clear();
    serviceAccount = Files.createDirectories(dir.resolve("sa-" + System.nanoTime()));
    Files.writeString(serviceAccount.resolve("token"), TOKEN);
    Files.copy(tls.caFile(), serviceAccount.resolve("ca.crt"));
    Files.writeString(serviceAccount.resolve("namespace"), "gatekeeper-system\n");
    env = Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
        "KUBERNETES_SERVICE_PORT", String.valueOf(api.port()));
  }

  private K8sSecretsCredentials provider(String json) throws Exception {
    return AuthProviders.k8Secrets(AcrKeyVaultEndToEndTest.json(json),
        InClusterSecrets.fromEnvironment(env::get, serviceAccount, CLOCK), CLOCK);
  }

  @Test
  void the_service_accounts_image_pull_secret_pulls_from_the_registry() throws Exception {
    objects.put("/api/v1/namespaces/gatekeeper-system/serviceaccounts/ratify-admin",
        "{\"kind\":\"ServiceAccount\",\"imagePullSecrets\":[{\"name\":\"regcred\"}]}");
    objects.put("/api/v1/namespaces/gatekeeper-system/secrets/regcred", dockerConfigJsonSecret(
        "regcred", registry.host(), DistributionRegistry.USER, DistributionRegistry.PASSWORD, false));
    int before = requests.size();
    K8sSecretsCredentials k8s = provider("{\"name\":\"k8Secrets\",\"serviceAccountName\":\"ratify-admin\"}");
    try (RegistryStore store = RegistryStore.create(RegistryOptions.defaults(), k8s, CLOCK)) {
      assertThat(store.resolve(image, Deadline.after(CLOCK, Duration.ofSeconds(30))).digest())
          .isEqualTo(pushed.digest());
      store.resolve(image, Deadline.after(CLOCK, Duration.ofSeconds(30)));
      assertThat(store.identity()).contains("gatekeeper-system/ratify-admin");
    }
    assertThat(requests.subList(before, requests.size())).containsExactly(
        "/api/v1/namespaces/gatekeeper-system/serviceaccounts/ratify-admin",
        "/api/v1/namespaces/gatekeeper-system/secrets/regcred");
  }

  @Test
  void a_named_secret_in_another_namespace_and_the_legacy_dockercfg_type_work() throws Exception {
    objects.put("/api/v1/namespaces/team/secrets/old-style", dockerConfigJsonSecret(
        "old-style", registry.host(), DistributionRegistry.USER, DistributionRegistry.PASSWORD, true));
    K8sSecretsCredentials k8s = provider(
        "{\"name\":\"k8Secrets\",\"secrets\":[{\"secretName\":\"old-style\",\"namespace\":\"team\"}]}");
    Credential c = k8s.credentialFor(registry.host());
    assertThat(c).isEqualTo(new Credential.Basic(DistributionRegistry.USER, DistributionRegistry.PASSWORD));
    assertThat(c.toString()).doesNotContain(DistributionRegistry.PASSWORD);
    assertThat(k8s.credentialFor("other.example")).isEqualTo(Credential.ANONYMOUS);
  }

  @Test
  void a_forbidden_secret_names_the_missing_permission() throws Exception {
    objects.put("/api/v1/namespaces/gatekeeper-system/secrets/regcred", "403");
    K8sSecretsCredentials k8s = provider("{\"name\":\"k8Secrets\",\"secrets\":[{\"secretName\":\"regcred\"}]}");
    assertThatThrownBy(() -> k8s.credentialFor(registry.host()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("HTTP 403")
        .hasMessageContaining("needs a Role in namespace gatekeeper-system allowing get on secrets");
  }

  @Test
  void outside_a_cluster_the_provider_says_what_is_missing() {
    env = Map.of();
    assertThatThrownBy(() -> provider("{\"name\":\"k8Secrets\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KUBERNETES_SERVICE_HOST is not set");
  }
}
