package dev.signet.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.kubernetes.rotation.CertificateRotation;
import dev.signet.kubernetes.rotation.CertificateRotationTest;
import dev.signet.testkit.SettableClock;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/rbac.yaml grants the controller what it uses (watch every kind, write status) and the
 * certificate rotation what it uses (its Secret, the Providers' and webhooks' caBundle), no more.
 */
class RbacManifestTest {
  private static final String RATIFY = "config.ratify.deislabs.io";

  @TempDir Path dir;

  private static List<HasMetadata> manifest() throws Exception {
    try (InputStream in = Files.newInputStream(ControllerFixture.repo().resolve("deploy/rbac.yaml"))) {
      return new KubernetesSerialization().unmarshal(in);
    }
  }

  /** Every rule of the ClusterRole and Roles. */
  private static List<PolicyRule> rules() throws Exception {
    return manifest().stream().flatMap(o -> switch (o) {
      case ClusterRole c -> c.getRules().stream();
      case Role r -> r.getRules().stream();
      default -> Stream.empty();
    }).toList();
  }

  @Test
  void the_cluster_role_grants_watch_and_status_of_every_kind_and_nothing_else() throws Exception {
    Set<String> granted = new HashSet<>();
    for (PolicyRule rule : rules()) {
      if (!rule.getApiGroups().contains(RATIFY)) {
        continue; // certificate rotation, checked below
      }
      assertThat(rule.getApiGroups()).containsExactly(RATIFY);
      for (String resource : rule.getResources()) {
        for (String verb : rule.getVerbs()) {
          granted.add(resource + ":" + verb);
        }
      }
    }
    Set<String> needed = new HashSet<>();
    for (Class<? extends CustomResource<?, ?>> kind : MockCluster.KINDS.values()) {
      String plural = io.fabric8.kubernetes.api.model.HasMetadata.getPlural(kind);
      for (String verb : List.of("get", "list", "watch")) {
        needed.add(plural + ":" + verb);
      }
      for (String verb : List.of("get", "update", "patch")) {
        needed.add(plural + "/status:" + verb);
      }
    }
    assertThat(granted).isEqualTo(needed);
  }

  /**
   * The rotation runs against the mock server (first start, then a rotation); every request it
   * makes is granted by name where a name is known, and every grant outside Ratify's group is one
   * of those requests.
   */
  @Test
  void the_roles_grant_certificate_rotation_exactly_the_requests_it_makes() throws Exception {
    Set<String> used = new TreeSet<>();
    try (MockCluster cluster = new MockCluster()) {
      CertificateRotationTest.createGatekeeperObjects(cluster);
      cluster.takeRequests();
      SettableClock clock = new SettableClock(Instant.parse("2026-01-10T00:00:00Z"));
      try (CertificateRotation rotation = CertificateRotation.start(cluster.client, new CertificateRotation.Settings(
          "gatekeeper-system", "signet-tls", List.of("signet.gatekeeper-system.svc"),
          List.of("ratify-provider", "ratify-mutation-provider"), List.of("signet-validate", "signet-mutate"),
          dir, Duration.ofDays(10), Duration.ofDays(2), Duration.ofHours(1), clock))) {
        clock.advance(Duration.ofDays(9));
        rotation.check();
      }
      for (String request : cluster.takeRequests()) {
        used.add(grant(request));
      }
    }
    Set<String> granted = new TreeSet<>();
    for (PolicyRule rule : rules()) {
      if (rule.getApiGroups().contains(RATIFY)) {
        continue;
      }
      List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
          ? List.of("*") : rule.getResourceNames();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            for (String name : names) {
              granted.add(group + "/" + resource + ":" + verb + ":" + name);
            }
          }
        }
      }
    }
    assertThat(used).as("requests the rotation made").isNotEmpty().contains("/secrets:create:*",
        "/secrets:update:signet-tls", "externaldata.gatekeeper.sh/providers:update:ratify-provider",
        "admissionregistration.k8s.io/validatingwebhookconfigurations:update:signet-validate",
        "admissionregistration.k8s.io/mutatingwebhookconfigurations:update:signet-mutate");
    // Names are granted to a rule as a whole (a Provider absent from the cluster is not updated).
    assertThat(granted).as("grants outside Ratify's group").containsAll(used);
    assertThat(project(granted, 2)).as("resources and verbs granted").isEqualTo(project(used, 2));
    assertThat(names(granted)).as("names granted").isEqualTo(names(used));
  }

  /** The first {@code n} fields of each {@code group/resource:verb:name}. */
  private static Set<String> project(Set<String> grants, int n) {
    Set<String> out = new TreeSet<>();
    grants.forEach(g -> out.add(String.join(":", List.of(g.split(":")).subList(0, n))));
    return out;
  }

  private static Set<String> names(Set<String> grants) {
    Set<String> out = new TreeSet<>();
    grants.forEach(g -> out.add(g.substring(g.lastIndexOf(':') + 1)));
    return out;
  }

  /** {@code GET /api/v1/namespaces/ns/secrets/x} as {@code /secrets:get:x} (group/resource:verb:name). */
  private static String grant(String request) {
    String method = request.substring(0, request.indexOf(' '));
    String path = request.substring(request.indexOf(' ') + 1);
    boolean watch = path.contains("watch=true");
    List<String> parts = List.of(path.replaceAll("\\?.*", "").replaceAll("^/", "").split("/"));
    int at = parts.get(0).equals("api") ? 2 : 3;
    String group = parts.get(0).equals("api") ? "" : parts.get(1);
    if (parts.size() > at && parts.get(at).equals("namespaces") && parts.size() > at + 2) {
      at += 2;
    }
    String resource = parts.get(at);
    String name = parts.size() > at + 1 ? parts.get(at + 1) : "*";
    String verb = switch (method) {
      case "GET" -> name.equals("*") ? (watch ? "watch" : "list") : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> method;
    };
    return group + "/" + resource + ":" + verb + ":" + name;
  }
}
