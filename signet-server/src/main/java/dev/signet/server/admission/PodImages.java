package dev.signet.server.admission;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Finds every container image in an admitted object: Pods, the pod templates of the workload kinds
 * that create Pods, and the {@code pods/ephemeralcontainers} subresource.
 */
final class PodImages {
  private static final List<String> ALL_LISTS =
      List.of("containers", "initContainers", "ephemeralContainers");
  private static final List<String> EPHEMERAL_ONLY = List.of("ephemeralContainers");

  /** Where a kind keeps its pod spec, and which container lists count. */
  private record PodSpecAt(List<String> path, List<String> lists) {}

  private PodImages() {}

  /**
   * The images of {@code request.object}, in document order; empty for kinds and subresources that
   * cannot carry images (e.g. {@code pods/status}, {@code deployments/scale}, a ConfigMap).
   *
   * @throws AdmissionReviewException 400 when a field on the way has the wrong JSON type
   */
  static List<ContainerImage> of(AdmissionRequest request) throws AdmissionReviewException {
    PodSpecAt at = podSpec(request.group(), request.kind(), request.subResource());
    if (at == null || request.object() == null) {
      return List.of();
    }
    JsonNode node = request.object();
    StringBuilder pointer = new StringBuilder();
    for (String field : at.path()) {
      JsonNode next = node.get(field);
      if (next == null || next.isNull()) {
        return List.of();
      }
      pointer.append('/').append(field);
      if (!next.isObject()) {
        throw AdmissionReviews.malformed("object" + pointer + " must be a JSON object");
      }
      node = next;
    }
    List<ContainerImage> images = new ArrayList<>();
    for (String list : at.lists()) {
      JsonNode containers = node.get(list);
      if (containers == null || containers.isNull()) {
        continue;
      }
      String listPointer = pointer + "/" + list;
      if (!containers.isArray()) {
        throw AdmissionReviews.malformed("object" + listPointer + " must be a JSON array");
      }
      for (int i = 0; i < containers.size(); i++) {
        JsonNode container = containers.get(i);
        String containerPointer = listPointer + "/" + i;
        if (!container.isObject()) {
          throw AdmissionReviews.malformed("object" + containerPointer + " must be a JSON object");
        }
        JsonNode image = container.get("image");
        // Workload templates may leave the image out for a controller or tool to fill in; the
        // Pod that is eventually created is admitted (and verified) on its own.
        if (image == null || image.isNull()) {
          continue;
        }
        if (!image.isString()) {
          throw AdmissionReviews.malformed("object" + containerPointer + "/image must be a string");
        }
        if (!image.asString().isEmpty()) {
          images.add(new ContainerImage(image.asString(), containerPointer + "/image"));
        }
      }
    }
    return List.copyOf(images);
  }

  /** Whether objects of the request's kind and subresource can name container images. */
  static boolean carriesImages(AdmissionRequest request) {
    return podSpec(request.group(), request.kind(), request.subResource()) != null;
  }

  private static PodSpecAt podSpec(String group, String kind, String subResource) {
    if (group.isEmpty() && kind.equals("Pod")) {
      return switch (subResource) {
        case "" -> new PodSpecAt(List.of("spec"), ALL_LISTS);
        case "ephemeralcontainers" -> new PodSpecAt(List.of("spec"), EPHEMERAL_ONLY);
        default -> null; // status, binding, exec, attach, ...: no image can change
      };
    }
    if (group.isEmpty()
        && kind.equals("EphemeralContainers")
        && subResource.equals("ephemeralcontainers")) {
      // Before Kubernetes 1.23 the subresource had its own kind, with the list at the top level.
      return new PodSpecAt(List.of(), EPHEMERAL_ONLY);
    }
    if (!subResource.isEmpty()) {
      return null; // scale, status: the pod template cannot change through them
    }
    return switch (group + "/" + kind) {
      case "apps/Deployment",
          "apps/ReplicaSet",
          "apps/StatefulSet",
          "apps/DaemonSet",
          "batch/Job",
          "/ReplicationController" ->
          new PodSpecAt(List.of("spec", "template", "spec"), ALL_LISTS);
      case "batch/CronJob" ->
          new PodSpecAt(List.of("spec", "jobTemplate", "spec", "template", "spec"), ALL_LISTS);
      default -> null;
    };
  }
}
