package dev.signet.cosign;

import dev.signet.verify.ReferrerFailure;
import dev.signet.artifact.AttachedArtifact;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.verify.ConfiguredVerifier;
import dev.signet.verify.Referrer;
import dev.signet.result.VerifierReport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ratify's {@code cosign} verifier: judges cosign {@code .sig} signatures (the referrer a store
 * with {@code cosignEnabled} reports) and Sigstore bundles attached as referrers, under the trust
 * policy whose scope covers the image. The referrer passes when at least one of its signatures
 * verifies, as with {@code cosign verify}; every signature is reported.
 */
public final class CosignVerifier extends ConfiguredVerifier {
  public static final String TYPE = "cosign";
  /** The artifact type Ratify gives cosign's {@code .sig} signatures. */
  public static final String SIGNATURE_ARTIFACT_TYPE =
      "application/vnd.dev.cosign.artifact.sig.v1+json";

  private static final long MAX_LAYER_BYTES = 1024 * 1024;

  private final List<CosignTrustPolicy> policies;
  private final TrustedRoot root;
  private final Clock clock;

  /**
   * @param root the Sigstore trusted root; null when no policy needs a log or keyless signatures
   */
  public CosignVerifier(
      String name,
      Set<String> artifactTypes,
      Set<String> nestedReferences,
      List<CosignTrustPolicy> policies,
      TrustedRoot root,
      Clock clock) {
    super(name, TYPE, artifactTypes, nestedReferences);
    this.policies = List.copyOf(policies);
    this.root = root;
    this.clock = clock;
  }

  /** The policy whose scope matches the repository most specifically. */
  Optional<CosignTrustPolicy> policyFor(String repository) {
    return policies.stream()
        .filter(p -> p.match(repository) >= 0)
        .max(Comparator.comparingInt(p -> p.match(repository)));
  }

  @Override
  protected VerifierReport judge(Referrer reports, Deadline deadline)
      throws DeadlineExceededException {
    Reference subject = reports.subject();
    Descriptor subjectDescriptor = reports.subjectDescriptor();
    String repository = subject.qualifiedName();
    Optional<CosignTrustPolicy> policy = policyFor(repository);
    if (policy.isEmpty()) {
      return reports.failure(FailureKind.CONFIGURATION, ErrorCode.VERIFY_REFERENCE_FAILURE,
          "cosign signature verification failed",
          "no cosign trust policy covers " + repository,
          "Add a trust policy whose scopes include \"" + repository + "\" (or \"*\").", Map.of());
    }
    AttachedArtifact artifact;
    try {
      artifact = AttachedArtifact.fetch(reports, MAX_LAYER_BYTES, deadline);
    } catch (ReferrerFailure e) {
      return reports.failure(e, Map.of("trustPolicy", policy.get().name()));
    }
    // A signature checked against an image manifest that could not be read was not judged.
    AtomicBoolean manifestUnread = new AtomicBoolean();
    CosignTrustPolicy.ArtifactBytes manifest = () -> {
      try {
        return reports.fetchManifest(subjectDescriptor, deadline);
      } catch (StoreException | DeadlineExceededException e) {
        manifestUnread.set(true);
        throw new CosignException("cannot read the image manifest the signature covers: "
            + e.getMessage(), "Check that the registry is reachable.");
      }
    };
    List<Map<String, Object>> signatures = new ArrayList<>();
    CosignException lastFailure = null;
    boolean verified = false;
    for (AttachedArtifact.Layer layer : artifact.layers()) {
      deadline.check("cosign signature verification");
      Descriptor d = layer.descriptor();
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("signatureDigest", d.digest().toString());
      try {
        CosignSignature sig;
        if (CosignSignature.SIMPLE_SIGNING_MEDIA_TYPE.equals(d.mediaType())) {
          sig = CosignSignature.fromSimpleSigningLayer(d.digest().toString(), layer.content(),
              d.annotations());
        } else if (CosignSignature.BUNDLE_MEDIA_TYPES.contains(d.mediaType())) {
          sig = CosignSignature.fromBundle(d.digest().toString(), layer.content());
        } else {
          throw new CosignException("layer media type \"" + d.mediaType()
              + "\" is neither a cosign signature nor a Sigstore bundle",
              "Sign with cosign 2 or later.");
        }
        CosignTrustPolicy.Verified v = policy.get().verify(sig, subjectDescriptor.digest(),
            manifest, root, clock.instant(), deadline);
        entry.put("isSuccess", true);
        entry.put("signer", v.signer());
        if (v.logIndex() != null) {
          entry.put("tlogIndex", v.logIndex());
        }
        if (v.integratedTime() != null) {
          entry.put("integratedTime", v.integratedTime().toString());
        }
        if (v.timestamp() != null) {
          entry.put("timestamp", v.timestamp().toString());
        }
        verified = true;
      } catch (CosignException e) {
        entry.put("isSuccess", false);
        entry.put("error", e.getMessage());
        lastFailure = e;
      }
      signatures.add(entry);
    }
    Map<String, Object> extensions = Map.of("signatures", signatures,
        "trustPolicy", policy.get().name());
    if (verified) {
      return reports.success("cosign signature verification success", extensions);
    }
    return reports.failure(
        manifestUnread.get() ? FailureKind.TRANSIENT : FailureKind.DENIED,
        ErrorCode.VERIFY_REFERENCE_FAILURE,
        "cosign signature verification failed",
        lastFailure == null ? "the referrer holds no signature" : lastFailure.getMessage(),
        lastFailure == null ? "Sign the image with cosign sign." : lastFailure.remediation(),
        extensions);
  }
}
