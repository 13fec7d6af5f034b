package dev.signet.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** deploy/rbac.yaml grants the controller what it uses (watch every kind, write status), no more. */
class RbacManifestTest {
  @Test
  void the_cluster_role_grants_watch_and_status_of_every_kind_and_nothing_else() throws Exception {
    List<HasMetadata> objects;
    try (InputStream in = Files.newInputStream(ControllerFixture.repo().resolve("deploy/rbac.yaml"))) {
      objects = new KubernetesSerialization().unmarshal(in);
    }
    ClusterRole role = objects.stream()
        .filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast).findFirst().orElseThrow();
    Set<String> granted = new HashSet<>();
    for (PolicyRule rule : role.getRules()) {
      assertThat(rule.getApiGroups()).containsExactly("config.ratify.deislabs.io");
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
}
