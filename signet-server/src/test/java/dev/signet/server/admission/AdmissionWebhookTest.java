package dev.signet.server.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.json.StrictJson;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class AdmissionWebhookTest {
  private static final String GOOD = "registry.example/app:1.0";
  private static final String GOOD_2 = "registry.example/sidecar:2.0";
  private static final String BAD = "registry.example/unsigned:1.0";
  private static final String UNTRUSTED = "registry.example/untrusted:1.0";
  private static final String UID = "705ab4f5-6393-11e8-b7cc-42010a800002";
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseBlockedThreads() {
    release.countDown();
  }

  private VerificationResult decide(String image) {
    calls.computeIfAbsent(image, k -> new AtomicInteger()).incrementAndGet();
    return switch (image) {
      case BAD ->
          new VerificationResult(
              image,
              false,
              List.of(
                  VerifierReport.subjectFailure(
                      image,
                      FailureKind.DENIED,
                      ErrorCode.NO_VERIFIER_REPORT,
                      "no signature was found for the subject",
                      "no signature is associated with the image",
                      "Sign the image.")));
      case UNTRUSTED ->
          new VerificationResult(
              image,
              false,
              List.of(
                  VerifierReport.subjectFailure(
                      image,
                      FailureKind.DENIED,
                      ErrorCode.VERIFY_REFERENCE_FAILURE,
                      "signature verification failed",
                      "the signing certificate is not trusted",
                      "")));
      default -> new VerificationResult(image, true, List.of());
    };
  }

  private final AdmissionWebhook webhook =
      new AdmissionWebhook(
          this::decide,
          image -> {
            if (image.contains("missing")) {
              throw new IllegalStateException("manifest unknown");
            }
            String name = image.substring(0, image.lastIndexOf(':'));
            return name + "@" + DIGEST;
          },
          Duration.ofSeconds(10),
          AdmissionWebhook.DEFAULT_MAX_BODY_BYTES);

  // --- request builders --------------------------------------------------------------------

  private static ObjectNode podSpec(String[] containers, String[] init, String[] ephemeral) {
    ObjectNode spec = StrictJson.MAPPER.createObjectNode();
    addContainers(spec, "containers", containers);
    addContainers(spec, "initContainers", init);
    addContainers(spec, "ephemeralContainers", ephemeral);
    return spec;
  }

  private static void addContainers(ObjectNode spec, String list, String[] images) {
    if (images == null) {
      return;
    }
    ArrayNode array = spec.putArray(list);
    for (int i = 0; i < images.length; i++) {
      array.addObject().put("name", list + i).put("image", images[i]);
    }
  }

  private static String[] of(String... images) {
    return images;
  }

  private static ObjectNode review(
      String group, String kind, String subResource, String operation, ObjectNode object) {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.put("apiVersion", "admission.k8s.io/v1");
    root.put("kind", "AdmissionReview");
    ObjectNode request = root.putObject("request");
    request.put("uid", UID);
    request.putObject("kind").put("group", group).put("version", "v1").put("kind", kind);
    request
        .putObject("resource")
        .put("group", group)
        .put("version", "v1")
        .put("resource", kind.toLowerCase() + "s");
    if (subResource != null) {
      request.put("subResource", subResource);
    }
    request.put("namespace", "default");
    request.put("name", "demo");
    request.put("operation", operation);
    request.putObject("userInfo").put("username", "admin");
    if (object != null) {
      request.set("object", object);
    }
    request.put("dryRun", false);
    return root;
  }

  private static byte[] pod(ObjectNode spec) {
    ObjectNode pod = StrictJson.MAPPER.createObjectNode();
    pod.put("apiVersion", "v1").put("kind", "Pod");
    pod.putObject("metadata").put("name", "demo");
    pod.set("spec", spec);
    return bytes(review("", "Pod", null, "CREATE", pod));
  }

  /** A workload whose pod spec sits under the given fields. */
  private static byte[] workload(String group, String kind, ObjectNode spec, String... path) {
    ObjectNode object = StrictJson.MAPPER.createObjectNode();
    object.put("apiVersion", group + "/v1").put("kind", kind);
    ObjectNode node = object;
    for (String field : path) {
      node = node.putObject(field);
    }
    node.setAll(spec);
    return bytes(review(group, kind, null, "CREATE", object));
  }

  private static byte[] bytes(JsonNode node) {
    return StrictJson.MAPPER.writeValueAsBytes(node);
  }

  private static JsonNode json(byte[] body) {
    return StrictJson.MAPPER.readTree(body);
  }

  private static JsonNode expected(String text) {
    return StrictJson.MAPPER.readTree(text.replace('\'', '"'));
  }

  private static List<JsonNode> patchOf(JsonNode response) {
    byte[] patch = Base64.getDecoder().decode(response.get("patch").asString());
    List<JsonNode> ops = new ArrayList<>();
    StrictJson.MAPPER.readTree(patch).forEach(ops::add);
    return ops;
  }

  // --- validate --------------------------------------------------------------------------

  @Test
  void aPodWhoseImagesAllVerifyIsAllowedAndTheResponseEchoesTheRequest() throws Exception {
    byte[] out = webhook.handle(pod(podSpec(of(GOOD), of(GOOD_2), null)), AdmissionMode.DENY);

    assertThat(json(out))
        .isEqualTo(
            expected(
                "{'apiVersion':'admission.k8s.io/v1','kind':'AdmissionReview',"
                    + "'response':{'uid':'"
                    + UID
                    + "','allowed':true}}"));
    assertThat(calls).containsOnlyKeys(GOOD, GOOD_2);
  }

  @Test
  void denyNamesEachFailingImageAndItsReasonWithStatus403() throws Exception {
    byte[] out =
        webhook.handle(pod(podSpec(of(GOOD, BAD), of(UNTRUSTED), null)), AdmissionMode.DENY);

    JsonNode response = json(out).get("response");
    assertThat(json(out).get("apiVersion").asString()).isEqualTo("admission.k8s.io/v1");
    assertThat(json(out).get("kind").asString()).isEqualTo("AdmissionReview");
    assertThat(response.get("uid").asString()).isEqualTo(UID);
    assertThat(response.get("allowed").asBoolean()).isFalse();
    assertThat(response.get("status").get("code").asInt()).isEqualTo(403);
    assertThat(response.get("status").get("message").asString())
        .isEqualTo(
            "image \""
                + BAD
                + "\" failed verification: no signature was found for the subject:"
                + " no signature is associated with the image; image \""
                + UNTRUSTED
                + "\" failed verification: signature verification failed: the signing"
                + " certificate is not trusted");
    assertThat(response.has("warnings")).isFalse();
    assertThat(response.has("patch")).isFalse();
  }

  @Test
  void auditAllowsWithAWarningPerFailureAndAnAuditAnnotation() throws Exception {
    AdmissionOutcome outcome =
        webhook.validate(pod(podSpec(of(GOOD, BAD), null, null)), AdmissionMode.AUDIT);

    JsonNode response = json(outcome.body()).get("response");
    assertThat(outcome.allowed()).isTrue();
    assertThat(response.get("allowed").asBoolean()).isTrue();
    assertThat(response.has("status")).isFalse();
    assertThat(response.get("warnings"))
        .isEqualTo(
            expected(
                    "['signet: image \\'"
                        + BAD
                        + "\\' failed verification: no signature was found"
                        + " for the subject: no signature is associated with the image']")
                .deepCopy());
    JsonNode annotations = response.get("auditAnnotations");
    assertThat(annotations.propertyNames()).containsExactly("verification");
    assertThat(json(annotations.get("verification").asString().getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(
            expected(
                "[{'image':'"
                    + BAD
                    + "','result':'failed','reason':'no signature was found for"
                    + " the subject: no signature is associated with the image'}]"));
    assertThat(outcome.verdicts())
        .extracting(ImageVerdict::image, ImageVerdict::passed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(GOOD, true),
            org.assertj.core.groups.Tuple.tuple(BAD, false));
  }

  @Test
  void warnAllowsWithWarningsOnly() throws Exception {
    byte[] out = webhook.handle(pod(podSpec(of(UNTRUSTED), null, null)), AdmissionMode.WARN);

    JsonNode response = json(out).get("response");
    assertThat(response.propertyNames()).containsExactly("uid", "allowed", "warnings");
    assertThat(response.get("allowed").asBoolean()).isTrue();
    assertThat(response.get("warnings").get(0).asString())
        .isEqualTo(
            "signet: image \""
                + UNTRUSTED
                + "\" failed verification: signature verification"
                + " failed: the signing certificate is not trusted");
  }

  @Test
  void passingImagesGiveNoWarningsInAuditAndWarnModes() throws Exception {
    for (AdmissionMode mode : List.of(AdmissionMode.AUDIT, AdmissionMode.WARN)) {
      JsonNode response =
          json(webhook.handle(pod(podSpec(of(GOOD), null, null)), mode)).get("response");
      assertThat(response.propertyNames()).containsExactly("uid", "allowed");
    }
  }

  @Test
  void allThreeContainerListsOfAPodAreChecked() throws Exception {
    for (int list = 0; list < 3; list++) {
      String[][] lists = {null, null, null};
      lists[list] = of(GOOD, BAD);
      byte[] out = webhook.handle(pod(podSpec(lists[0], lists[1], lists[2])), AdmissionMode.DENY);
      assertThat(json(out).get("response").get("allowed").asBoolean())
          .as("list %d", list)
          .isFalse();
      assertThat(json(out).get("response").get("status").get("message").asString()).contains(BAD);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "apps, Deployment, spec/template/spec",
    "apps, ReplicaSet, spec/template/spec",
    "apps, StatefulSet, spec/template/spec",
    "apps, DaemonSet, spec/template/spec",
    "batch, Job, spec/template/spec",
    "batch, CronJob, spec/jobTemplate/spec/template/spec",
    "'', ReplicationController, spec/template/spec",
  })
  void everyWorkloadKindHasItsPodTemplateChecked(String group, String kind, String path)
      throws Exception {
    byte[] body = workload(group, kind, podSpec(of(GOOD), of(BAD), null), path.split("/"));

    JsonNode denied = json(webhook.handle(body, AdmissionMode.DENY)).get("response");
    assertThat(denied.get("allowed").asBoolean()).isFalse();
    assertThat(denied.get("status").get("message").asString()).startsWith("image \"" + BAD + "\"");

    // The patch paths point into the template.
    byte[] mutable = workload(group, kind, podSpec(of(GOOD), of(GOOD_2), null), path.split("/"));
    JsonNode mutated = json(webhook.handleMutate(mutable)).get("response");
    assertThat(patchOf(mutated))
        .extracting(op -> op.get("path").asString())
        .containsExactly(
            "/" + path + "/containers/0/image", "/" + path + "/initContainers/0/image");
  }

  @Test
  void theEphemeralContainersSubresourceChecksTheEphemeralContainers() throws Exception {
    ObjectNode pod = StrictJson.MAPPER.createObjectNode();
    pod.put("apiVersion", "v1").put("kind", "Pod");
    pod.set("spec", podSpec(of(GOOD), null, of(GOOD_2, UNTRUSTED)));
    byte[] body = bytes(review("", "Pod", "ephemeralcontainers", "UPDATE", pod));

    JsonNode response = json(webhook.handle(body, AdmissionMode.DENY)).get("response");

    assertThat(response.get("allowed").asBoolean()).isFalse();
    assertThat(response.get("status").get("message").asString()).contains(UNTRUSTED);
    // The running containers were admitted before; the subresource only adds ephemeral ones.
    assertThat(calls).containsOnlyKeys(GOOD_2, UNTRUSTED);
  }

  @Test
  void theLegacyEphemeralContainersKindIsChecked() throws Exception {
    ObjectNode object = StrictJson.MAPPER.createObjectNode();
    object.put("apiVersion", "v1").put("kind", "EphemeralContainers");
    object.putArray("ephemeralContainers").addObject().put("name", "debug").put("image", BAD);
    byte[] body = bytes(review("", "EphemeralContainers", "ephemeralcontainers", "UPDATE", object));

    JsonNode response = json(webhook.handle(body, AdmissionMode.DENY)).get("response");
    assertThat(response.get("allowed").asBoolean()).isFalse();

    JsonNode mutated =
        json(webhook.handleMutate(
                bytes(review("", "EphemeralContainers", "ephemeralcontainers", "UPDATE", object))))
            .get("response");
    assertThat(patchOf(mutated).get(0).get("path").asString())
        .isEqualTo("/ephemeralContainers/0/image");
  }

  @Test
  void aRepeatedImageIsVerifiedOnce() throws Exception {
    byte[] body = pod(podSpec(of(BAD, GOOD, BAD), of(GOOD, BAD), of(GOOD)));

    JsonNode response = json(webhook.handle(body, AdmissionMode.DENY)).get("response");

    assertThat(calls.get(GOOD).get()).isEqualTo(1);
    assertThat(calls.get(BAD).get()).isEqualTo(1);
    // and named once in the message
    String message = response.get("status").get("message").asString();
    assertThat(message.indexOf(BAD)).isEqualTo(message.lastIndexOf(BAD));
  }

  @Test
  void aVerifierThatBlocksPastTheDeadlineDeniesInDenyMode() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    AdmissionWebhook slow =
        new AdmissionWebhook(
            image -> {
              if (image.equals(GOOD)) {
                return new VerificationResult(image, true, List.of());
              }
              try {
                release.await();
              } catch (InterruptedException e) {
                interrupted.countDown();
                Thread.currentThread().interrupt();
              }
              return new VerificationResult(image, true, List.of());
            },
            image -> image,
            // GOOD must be decided within it, also on a loaded machine.
            Duration.ofSeconds(2),
            AdmissionWebhook.DEFAULT_MAX_BODY_BYTES);
    byte[] body = pod(podSpec(of(GOOD, "registry.example/slow:1"), null, null));

    JsonNode denied = json(slow.handle(body, AdmissionMode.DENY)).get("response");
    assertThat(denied.get("allowed").asBoolean()).isFalse();
    assertThat(denied.get("status").get("message").asString())
        .isEqualTo(
            "image \"registry.example/slow:1\" failed verification: no decision within the"
                + " admission timeout of 2000 ms");

    // The abandoned verification is interrupted rather than left running.
    assertThat(interrupted.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    JsonNode audited = json(slow.handle(body, AdmissionMode.AUDIT)).get("response");
    assertThat(audited.get("allowed").asBoolean()).isTrue();
    assertThat(audited.get("warnings").get(0).asString()).contains("admission timeout");
  }

  @Test
  void aVerifierThatThrowsDenies() throws Exception {
    AdmissionWebhook broken =
        new AdmissionWebhook(
            image -> {
              throw new IllegalStateException("store exploded");
            },
            image -> image,
            Duration.ofSeconds(5),
            1024 * 1024);

    JsonNode response =
        json(broken.handle(pod(podSpec(of(GOOD), null, null)), AdmissionMode.DENY)).get("response");

    assertThat(response.get("allowed").asBoolean()).isFalse();
    assertThat(response.get("status").get("message").asString())
        .isEqualTo("image \"" + GOOD + "\" failed verification: store exploded");
  }

  @Test
  void aVerifierThatReturnsNothingDenies() throws Exception {
    AdmissionWebhook empty =
        new AdmissionWebhook(image -> null, image -> image, Duration.ofSeconds(5), 1024 * 1024);

    JsonNode response =
        json(empty.handle(pod(podSpec(of(GOOD), null, null)), AdmissionMode.DENY)).get("response");

    assertThat(response.get("allowed").asBoolean()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"DELETE", "CONNECT"})
  void deleteAndConnectAreAllowedWithoutVerification(String operation) throws Exception {
    ObjectNode pod = StrictJson.MAPPER.createObjectNode();
    pod.set("spec", podSpec(of(BAD), null, null));
    byte[] body =
        bytes(review("", "Pod", null, operation, operation.equals("DELETE") ? null : pod));

    JsonNode response = json(webhook.handle(body, AdmissionMode.DENY)).get("response");

    assertThat(response.propertyNames()).containsExactly("uid", "allowed");
    assertThat(response.get("allowed").asBoolean()).isTrue();
    assertThat(calls).isEmpty();
  }

  @Test
  void otherKindsAndSubresourcesAreAllowedWithoutVerification() throws Exception {
    ObjectNode configMap = StrictJson.MAPPER.createObjectNode();
    configMap.putObject("data").put("image", BAD);
    ObjectNode pod = StrictJson.MAPPER.createObjectNode();
    pod.set("spec", podSpec(of(BAD), null, null));
    ObjectNode scale = StrictJson.MAPPER.createObjectNode();
    scale.putObject("spec").put("replicas", 3);

    for (byte[] body :
        List.of(
            bytes(review("", "ConfigMap", null, "CREATE", configMap)),
            bytes(review("", "Pod", "status", "UPDATE", pod)),
            bytes(review("autoscaling", "Scale", "scale", "UPDATE", scale)),
            bytes(review("apps", "Deployment", "status", "UPDATE", pod)))) {
      JsonNode response = json(webhook.handle(body, AdmissionMode.DENY)).get("response");
      assertThat(response.get("allowed").asBoolean()).isTrue();
    }
    assertThat(calls).isEmpty();
  }

  @Test
  void anObjectWithoutImagesIsAllowed() throws Exception {
    ObjectNode spec = StrictJson.MAPPER.createObjectNode();
    spec.putArray("containers").addObject().put("name", "filled-in-later");
    byte[] deployment = workload("apps", "Deployment", spec, "spec", "template", "spec");
    byte[] emptyPod = pod(StrictJson.MAPPER.createObjectNode());

    for (byte[] body : List.of(deployment, emptyPod)) {
      JsonNode response = json(webhook.handle(body, AdmissionMode.DENY)).get("response");
      assertThat(response.get("allowed").asBoolean()).isTrue();
    }
    assertThat(calls).isEmpty();
  }

  // --- mutate ----------------------------------------------------------------------------

  @Test
  void mutatePinsEachTagToADigestWithAJsonPatch() throws Exception {
    String pinned = "registry.example/pinned@" + DIGEST;
    byte[] body = pod(podSpec(of(GOOD, pinned), of(GOOD_2), of(GOOD)));

    AdmissionOutcome outcome = webhook.mutate(body);

    JsonNode response = json(outcome.body()).get("response");
    assertThat(response.get("uid").asString()).isEqualTo(UID);
    assertThat(response.get("allowed").asBoolean()).isTrue();
    assertThat(response.get("patchType").asString()).isEqualTo("JSONPatch");
    assertThat(response.has("warnings")).isFalse();
    assertThat(patchOf(response))
        .containsExactly(
            expected(
                "{'op':'replace','path':'/spec/containers/0/image',"
                    + "'value':'registry.example/app@"
                    + DIGEST
                    + "'}"),
            expected(
                "{'op':'replace','path':'/spec/initContainers/0/image',"
                    + "'value':'registry.example/sidecar@"
                    + DIGEST
                    + "'}"),
            expected(
                "{'op':'replace','path':'/spec/ephemeralContainers/0/image',"
                    + "'value':'registry.example/app@"
                    + DIGEST
                    + "'}"));
  }

  @Test
  void mutateLeavesAnImageItCannotResolveAndWarns() throws Exception {
    byte[] body = pod(podSpec(of("registry.example/missing:1", GOOD), null, null));

    JsonNode response = json(webhook.handleMutate(body)).get("response");

    assertThat(response.get("allowed").asBoolean()).isTrue();
    assertThat(patchOf(response))
        .containsExactly(
            expected(
                "{'op':'replace','path':'/spec/containers/1/image',"
                    + "'value':'registry.example/app@"
                    + DIGEST
                    + "'}"));
    assertThat(response.get("warnings").get(0).asString())
        .isEqualTo(
            "signet: image \"registry.example/missing:1\" was not pinned to a digest and is left"
                + " unchanged: manifest unknown");
  }

  @Test
  void mutateRejectsAResolverAnswerThatIsNotADigestReference() throws Exception {
    AdmissionWebhook tagging =
        new AdmissionWebhook(
            this::decide, image -> image + "-latest", Duration.ofSeconds(5), 1024 * 1024);

    JsonNode response =
        json(tagging.handleMutate(pod(podSpec(of(GOOD), null, null)))).get("response");

    assertThat(response.has("patch")).isFalse();
    assertThat(response.get("warnings").get(0).asString()).contains("not a repository@digest");
  }

  @Test
  void mutateWithNothingToPinAnswersWithoutAPatch() throws Exception {
    byte[] body = pod(podSpec(of("registry.example/app@" + DIGEST), null, null));

    JsonNode response = json(webhook.handleMutate(body)).get("response");

    assertThat(response.propertyNames()).containsExactly("uid", "allowed");
  }

  @Test
  void mutateLeavesImagesWhoseResolutionTimesOut() throws Exception {
    AdmissionWebhook slow =
        new AdmissionWebhook(
            this::decide,
            image -> {
              release.await();
              return "registry.example/app@" + DIGEST;
            },
            Duration.ofMillis(100),
            1024 * 1024);

    JsonNode response = json(slow.handleMutate(pod(podSpec(of(GOOD), null, null)))).get("response");

    assertThat(response.get("allowed").asBoolean()).isTrue();
    assertThat(response.has("patch")).isFalse();
    assertThat(response.get("warnings").get(0).asString()).contains("admission timeout");
  }

  // --- malformed input -------------------------------------------------------------------

  private void assertRejected(byte[] body, int status, String message) {
    assertThatThrownBy(() -> webhook.handle(body, AdmissionMode.DENY))
        .isInstanceOfSatisfying(
            AdmissionReviewException.class, e -> assertThat(e.httpStatus()).isEqualTo(status))
        .hasMessageContaining(message);
    assertThatThrownBy(() -> webhook.handleMutate(body))
        .isInstanceOf(AdmissionReviewException.class)
        .hasMessageContaining(message);
  }

  private static byte[] utf8(String text) {
    return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void malformedRequestsAreRejectedWith400() {
    assertRejected(utf8("{"), 400, "not valid JSON");
    assertRejected(utf8(""), 400, "empty");
    assertRejected(utf8("[]"), 400, "must be a JSON object");
    assertRejected(
        utf8(
            "{'apiVersion':'admission.k8s.io/v1','apiVersion':'admission.k8s.io/v1',"
                + "'kind':'AdmissionReview','request':{}}"),
        400,
        "Duplicate");
    assertRejected(
        utf8("{'apiVersion':'admission.k8s.io/v1beta1','kind':'AdmissionReview','request':{}}"),
        400,
        "apiVersion must be \"admission.k8s.io/v1\"");
    assertRejected(
        utf8("{'apiVersion':'admission.k8s.io/v1','kind':'Pod','request':{}}"),
        400,
        "kind must be \"AdmissionReview\"");
    assertRejected(
        utf8("{'apiVersion':'admission.k8s.io/v1','kind':'AdmissionReview'}"),
        400,
        "AdmissionReview.request is required");

    ObjectNode noUid = review("", "Pod", null, "CREATE", StrictJson.MAPPER.createObjectNode());
    ((ObjectNode) noUid.get("request")).remove("uid");
    assertRejected(bytes(noUid), 400, "request.uid is required");

    ObjectNode numericUid = review("", "Pod", null, "CREATE", StrictJson.MAPPER.createObjectNode());
    ((ObjectNode) numericUid.get("request")).put("uid", 7);
    assertRejected(bytes(numericUid), 400, "request.uid must be a string");

    ObjectNode badOperation =
        review("", "Pod", null, "PATCH", StrictJson.MAPPER.createObjectNode());
    assertRejected(bytes(badOperation), 400, "request.operation must be");

    ObjectNode noObject = review("", "Pod", null, "CREATE", null);
    assertRejected(bytes(noObject), 400, "request.object is required");
  }

  @Test
  void containerFieldsOfTheWrongTypeAreRejectedWith400() {
    ObjectNode spec = StrictJson.MAPPER.createObjectNode();
    spec.putObject("containers");
    assertRejected(pod(spec), 400, "object/spec/containers must be a JSON array");

    ObjectNode numeric = StrictJson.MAPPER.createObjectNode();
    numeric.putArray("initContainers").addObject().put("image", 5);
    assertRejected(pod(numeric), 400, "object/spec/initContainers/0/image must be a string");

    ObjectNode deployment = StrictJson.MAPPER.createObjectNode();
    deployment.putObject("spec").put("template", "oops");
    assertRejected(
        bytes(review("apps", "Deployment", null, "CREATE", deployment)),
        400,
        "object/spec/template must be a JSON object");
  }

  @Test
  void anOversizedRequestIsRejectedWith413() {
    AdmissionWebhook small =
        new AdmissionWebhook(this::decide, image -> image, Duration.ofSeconds(5), 512);
    byte[] body = pod(podSpec(of("registry.example/" + "a".repeat(600) + ":1"), null, null));

    assertThatThrownBy(() -> small.handle(body, AdmissionMode.DENY))
        .isInstanceOfSatisfying(
            AdmissionReviewException.class, e -> assertThat(e.httpStatus()).isEqualTo(413))
        .hasMessageContaining("larger than the limit of 512 bytes");
    assertThat(calls).isEmpty();
  }

  @Test
  void modesParseFromConfiguration() {
    assertThat(AdmissionMode.parse("Deny")).isEqualTo(AdmissionMode.DENY);
    assertThat(AdmissionMode.parse("audit")).isEqualTo(AdmissionMode.AUDIT);
    assertThat(AdmissionMode.parse("WARN")).isEqualTo(AdmissionMode.WARN);
    assertThatThrownBy(() -> AdmissionMode.parse("dryrun"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deny, audit or warn");
  }
}
