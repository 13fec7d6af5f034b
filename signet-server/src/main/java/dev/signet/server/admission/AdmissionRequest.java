package dev.signet.server.admission;

import tools.jackson.databind.JsonNode;

/**
 * The parts of an AdmissionReview v1 {@code request} Signet decides on.
 *
 * @param uid the request's uid, echoed in the response
 * @param group the API group of {@code request.kind} ({@code ""} for the core group)
 * @param version the API version of {@code request.kind}
 * @param kind the kind of {@code request.kind}, e.g. {@code Pod} or {@code Deployment}
 * @param subResource {@code request.subResource}, {@code ""} when absent
 * @param operation CREATE, UPDATE, DELETE or CONNECT
 * @param namespace {@code request.namespace}, {@code ""} when absent
 * @param name {@code request.name}, {@code ""} when absent (e.g. generateName)
 * @param object {@code request.object}, or null when absent
 */
record AdmissionRequest(
    String uid,
    String group,
    String version,
    String kind,
    String subResource,
    String operation,
    String namespace,
    String name,
    JsonNode object) {

  /** Whether the operation can introduce images (CREATE and UPDATE). */
  boolean changesObject() {
    return operation.equals("CREATE") || operation.equals("UPDATE");
  }
}
