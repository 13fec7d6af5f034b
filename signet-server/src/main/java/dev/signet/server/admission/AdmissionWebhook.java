package dev.signet.server.admission;

// Kubernetes validating and mutating admission webhooks (AdmissionReview v1, JSONPatch responses):
// https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/

import dev.signet.json.StrictJson;
import dev.signet.reference.Reference;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import dev.signet.verify.Decisions;
import dev.signet.verify.Parallel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers AdmissionReview v1 requests for {@code POST /admission/validate} and {@code POST
 * /admission/mutate}. Each distinct image of a request is checked once, all of them in parallel on
 * virtual threads, within one deadline per request. Validation fails closed: an error or a timeout
 * is a failed image, which {@link AdmissionMode#DENY} rejects.
 */
public final class AdmissionWebhook {
  /** Kubernetes caps admission requests at a few MiB (object and oldObject); this leaves room. */
  public static final int DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

  /** The audit annotation key; the API server prefixes it with the webhook's name. */
  static final String AUDIT_KEY = "verification";

  private static final int MAX_DISTINCT_IMAGES = 256;
  // The API server may truncate longer warnings; keep each one readable in kubectl.
  private static final int MAX_WARNING_CHARS = 256;
  private static final int MAX_REASON_CHARS = 1024;

  private final Decisions decisions;
  private final ImageResolver resolver;
  private final Supplier<Duration> timeout;
  private final int maxBodyBytes;

  /**
   * @param decisions decides each image (validate)
   * @param resolver pins tags to digests (mutate)
   * @param timeout how long one request may take; images not decided by then fail (validate) or
   *     stay unchanged (mutate). Keep it below the webhook's {@code timeoutSeconds}.
   * @param maxBodyBytes the largest AdmissionReview accepted
   */
  public AdmissionWebhook(
      Decisions decisions, ImageResolver resolver, Duration timeout, int maxBodyBytes) {
    this(decisions, resolver, positive(timeout), maxBodyBytes);
  }

  /**
   * {@link #AdmissionWebhook(Decisions, ImageResolver, Duration, int)} with the timeout read for
   * each request (it follows configuration reloads); {@code timeout} must give positive durations.
   */
  public AdmissionWebhook(
      Decisions decisions, ImageResolver resolver, Supplier<Duration> timeout, int maxBodyBytes) {
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException("admission body limit must be positive");
    }
    this.decisions = decisions;
    this.resolver = resolver;
    this.timeout = timeout;
    this.maxBodyBytes = maxBodyBytes;
  }

  private static Supplier<Duration> positive(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("admission timeout must be positive");
    }
    return () -> timeout;
  }

  /** The validating webhook's response body. */
  public byte[] handle(byte[] body, AdmissionMode mode) throws AdmissionReviewException {
    return validate(body, mode).body();
  }

  /** The mutating webhook's response body. */
  public byte[] handleMutate(byte[] body) throws AdmissionReviewException {
    return mutate(body).body();
  }

  /**
   * Validates the images of an admission request.
   *
   * @throws AdmissionReviewException 400 (malformed) or 413 (too large)
   */
  public AdmissionOutcome validate(byte[] body, AdmissionMode mode)
      throws AdmissionReviewException {
    return validate(body, mode, decisions);
  }

  /**
   * Validates the images of an admission request with {@code decisions} (for a server: its own,
   * which log each decision under the request's trace id) instead of the webhook's.
   *
   * @throws AdmissionReviewException 400 (malformed) or 413 (too large)
   */
  public AdmissionOutcome validate(byte[] body, AdmissionMode mode, Decisions decisions)
      throws AdmissionReviewException {
    AdmissionRequest request = AdmissionReviews.parse(body, maxBodyBytes);
    List<ContainerImage> images = imagesToCheck(request);
    if (images.isEmpty()) {
      return allowed(request.uid());
    }
    Map<String, Attempt<VerificationResult>> attempts = runAll(
            distinct(images),
            image ->
                request.namespace().isEmpty()
                    ? decisions.verify(image)
                    : decisions.verify(request.namespace(), image));
    List<ImageVerdict> verdicts = new ArrayList<>();
    for (Map.Entry<String, Attempt<VerificationResult>> e : attempts.entrySet()) {
      verdicts.add(verdict(e.getKey(), e.getValue()));
    }
    List<ImageVerdict> failed = verdicts.stream().filter(v -> !v.passed()).toList();
    if (failed.isEmpty()) {
      return new AdmissionOutcome(
          AdmissionReviews.bytes(AdmissionReviews.response(request.uid(), true)),
          request.uid(),
          true,
          verdicts,
          List.of());
    }
    List<String> lines = failed.stream().map(AdmissionWebhook::failureLine).toList();
    if (mode == AdmissionMode.DENY) {
      ObjectNode review = AdmissionReviews.response(request.uid(), false);
      ObjectNode status = ((ObjectNode) review.get("response")).putObject("status");
      status.put("code", 403);
      status.put("message", String.join("; ", lines));
      return new AdmissionOutcome(
          AdmissionReviews.bytes(review), request.uid(), false, verdicts, List.of());
    }
    ObjectNode review = AdmissionReviews.response(request.uid(), true);
    ObjectNode response = (ObjectNode) review.get("response");
    List<String> warnings = lines.stream().map(AdmissionWebhook::warning).toList();
    ArrayNode warningArray = response.putArray("warnings");
    warnings.forEach(warningArray::add);
    if (mode == AdmissionMode.AUDIT) {
      ArrayNode entries = StrictJson.MAPPER.createArrayNode();
      for (ImageVerdict v : failed) {
        ObjectNode entry = entries.addObject();
        entry.put("image", v.image());
        entry.put("result", "failed");
        entry.put("reason", v.reason());
      }
      response
          .putObject("auditAnnotations")
          .put(AUDIT_KEY, StrictJson.MAPPER.writeValueAsString(entries));
    }
    return new AdmissionOutcome(
        AdmissionReviews.bytes(review), request.uid(), true, verdicts, warnings);
  }

  /**
   * Pins every tag reference of an admission request to its digest with a JSONPatch. Images that
   * cannot be resolved stay unchanged, with a warning; the validating webhook judges them later.
   *
   * @throws AdmissionReviewException 400 (malformed) or 413 (too large)
   */
  public AdmissionOutcome mutate(byte[] body) throws AdmissionReviewException {
    AdmissionRequest request = AdmissionReviews.parse(body, maxBodyBytes);
    List<ContainerImage> images =
        imagesToCheck(request).stream().filter(i -> !i.image().contains("@")).toList();
    if (images.isEmpty()) {
      return allowed(request.uid());
    }
    Map<String, Attempt<String>> attempts = runAll(distinct(images), this::pin);
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<String, Attempt<String>> e : attempts.entrySet()) {
      if (e.getValue().error() != null) {
        warnings.add(
            warning(
                "image \""
                    + e.getKey()
                    + "\" was not pinned to a digest and is left unchanged: "
                    + e.getValue().error()));
      }
    }
    ArrayNode patch = StrictJson.MAPPER.createArrayNode();
    for (ContainerImage image : images) {
      String pinned = attempts.get(image.image()).value();
      if (pinned != null && !pinned.equals(image.image())) {
        patch.addObject().put("op", "replace").put("path", image.pointer()).put("value", pinned);
      }
    }
    ObjectNode review = AdmissionReviews.response(request.uid(), true);
    ObjectNode response = (ObjectNode) review.get("response");
    if (!patch.isEmpty()) {
      response.put("patchType", "JSONPatch");
      response.put(
          "patch", Base64.getEncoder().encodeToString(StrictJson.MAPPER.writeValueAsBytes(patch)));
    }
    if (!warnings.isEmpty()) {
      ArrayNode warningArray = response.putArray("warnings");
      warnings.forEach(warningArray::add);
    }
    return new AdmissionOutcome(
        AdmissionReviews.bytes(review), request.uid(), true, List.of(), warnings);
  }

  private static List<ContainerImage> imagesToCheck(AdmissionRequest request)
      throws AdmissionReviewException {
    if (!request.changesObject()) {
      return List.of(); // DELETE and CONNECT cannot start a container
    }
    if (!PodImages.carriesImages(request)) {
      return List.of(); // other kinds and subresources are not ours to judge
    }
    if (request.object() == null) {
      throw AdmissionReviews.malformed(
          "request.object is required for " + request.operation() + " of " + request.kind());
    }
    return PodImages.of(request);
  }

  private static Set<String> distinct(List<ContainerImage> images) throws AdmissionReviewException {
    Set<String> distinct = new LinkedHashSet<>();
    for (ContainerImage i : images) {
      distinct.add(i.image());
    }
    if (distinct.size() > MAX_DISTINCT_IMAGES) {
      throw AdmissionReviews.malformed(
          "the object names "
              + distinct.size()
              + " distinct images, more than the limit of "
              + MAX_DISTINCT_IMAGES);
    }
    return distinct;
  }

  private String pin(String image) throws Exception {
    String pinned = resolver.pin(image);
    Reference reference;
    try {
      reference = Reference.parse(pinned);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "the resolver returned an invalid reference: " + e.getMessage());
    }
    if (reference.digest() == null || reference.tag() != null) {
      throw new IllegalStateException(
          "the resolver returned \"" + pinned + "\", not a repository@digest reference");
    }
    return pinned;
  }

  private static AdmissionOutcome allowed(String uid) {
    return new AdmissionOutcome(
        AdmissionReviews.bytes(AdmissionReviews.response(uid, true)),
        uid,
        true,
        List.of(),
        List.of());
  }

  private static ImageVerdict verdict(String image, Attempt<VerificationResult> attempt) {
    VerificationResult result = attempt.value();
    if (result == null) {
      return new ImageVerdict(image, false, attempt.error(), null);
    }
    if (result.isSuccess()) {
      return new ImageVerdict(image, true, "", result);
    }
    return new ImageVerdict(image, false, reason(result), result);
  }

  /** The first failing report's message and root cause; the policy's verdict otherwise. */
  static String reason(VerificationResult result) {
    for (VerifierReport report : result.verifierReports()) {
      if (!report.isSuccess()) {
        String text = report.message();
        if (!report.errorReason().isEmpty() && !text.contains(report.errorReason())) {
          text = text.isEmpty() ? report.errorReason() : text + ": " + report.errorReason();
        }
        return cap(text.isEmpty() ? "verification failed" : text, MAX_REASON_CHARS);
      }
    }
    return "the signatures found do not satisfy the verification policy";
  }

  private static String failureLine(ImageVerdict v) {
    return "image \"" + v.image() + "\" failed verification: " + v.reason();
  }

  private static String warning(String line) {
    return cap("signet: " + line, MAX_WARNING_CHARS);
  }

  private static String cap(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }

  /** A value or the reason there is none. */
  private record Attempt<T>(T value, String error) {}

  @FunctionalInterface
  private interface Task<T> {
    T run(String image) throws Exception;
  }

  /**
   * Runs {@code task} for every image on its own virtual thread ({@link Parallel}) and waits at
   * most the request's timeout; unfinished tasks are interrupted and reported as timed out.
   */
  private <T> Map<String, Attempt<T>> runAll(Set<String> images, Task<T> task) {
    List<String> inputs = List.copyOf(images);
    Duration budget = timeout.get();
    List<Parallel.Outcome<Attempt<T>>> outcomes =
        Parallel.run(
            inputs,
            image -> {
              try {
                T value = task.run(image);
                return value == null
                    ? new Attempt<>(null, "the verifier returned no result")
                    : new Attempt<>(value, null);
              } catch (Exception e) {
                return new Attempt<>(null, message(e));
              }
            },
            MAX_DISTINCT_IMAGES,
            System.nanoTime() + budget.toNanos());
    Map<String, Attempt<T>> attempts = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      attempts.put(
          inputs.get(i),
          switch (outcomes.get(i)) {
            case Parallel.Done<Attempt<T>> d -> d.value();
            case Parallel.Failed<Attempt<T>> f -> new Attempt<>(null, message(f.cause()));
            case Parallel.TimedOut<Attempt<T>> t ->
                new Attempt<>(
                    null, "no decision within the admission timeout of " + budget.toMillis() + " ms");
          });
    }
    return attempts;
  }

  private static String message(Throwable cause) {
    return cap(
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(),
        MAX_REASON_CHARS);
  }
}
