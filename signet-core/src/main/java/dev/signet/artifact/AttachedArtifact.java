package dev.signet.artifact;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.Manifest;
import dev.signet.oci.ManifestFormatException;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.StoreException;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.verify.Referrer;
import dev.signet.verify.ReferrerFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A referrer (SBOM, vulnerability report, ...) as read from the store: its manifest and the content
 * of its layers. Reading is bounded: at most {@link #MAX_LAYERS} layers, each no larger than the
 * limit the verifier gives, checked against the descriptor before anything is fetched.
 */
public record AttachedArtifact(Manifest manifest, List<Layer> layers) {
  public static final int MAX_LAYERS = 16;

  public AttachedArtifact {
    layers = List.copyOf(layers);
  }

  /** One layer and its bytes (digest- and size-checked by the store). */
  public record Layer(Descriptor descriptor, byte[] content) {}

  /** The manifest media types a referrer may have (Docker's for cosign's older signatures). */
  private static final Set<String> MANIFEST_TYPES =
      Set.of(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_ARTIFACT_MANIFEST, MediaTypes.DOCKER_MANIFEST);

  /**
   * Fetches the referrer's manifest and every layer.
   *
   * @param maxLayerBytes the largest layer accepted
   * @throws ReferrerFailure when the referrer cannot be read or is over a limit
   */
  public static AttachedArtifact fetch(Referrer judged, long maxLayerBytes, Deadline deadline)
      throws ReferrerFailure, DeadlineExceededException {
    Descriptor referrer = judged.descriptor();
    String mediaType = referrer.mediaType();
    if (mediaType == null || !MANIFEST_TYPES.contains(mediaType)) {
      throw new ReferrerFailure(FailureKind.DENIED, ErrorCode.MANIFEST_INVALID,
          "the referrer's manifest is not usable",
          "its media type must be " + MediaTypes.OCI_MANIFEST + ", "
              + MediaTypes.OCI_ARTIFACT_MANIFEST + " or " + MediaTypes.DOCKER_MANIFEST
              + " (cosign's older signatures), got \"" + mediaType + "\"",
          "Attach the artifact with a current OCI client (oras attach, notation, trivy).");
    }
    Manifest manifest;
    try {
      manifest = Manifest.parse(judged.fetchManifest(referrer, deadline), mediaType);
    } catch (StoreException | ManifestFormatException e) {
      // The store checks the digest, so an unparsable manifest is what was signed: a retry reads
      // the same bytes.
      throw new ReferrerFailure(
          e instanceof StoreException ? FailureKind.TRANSIENT : FailureKind.DENIED,
          ErrorCode.GET_REFERRER_MANIFEST_FAILURE,
          "could not read the referrer's manifest " + referrer.digest(), e.getMessage(),
          "Check that the registry is reachable and the manifest is intact.");
    }
    if (manifest.layers().isEmpty()) {
      throw new ReferrerFailure(FailureKind.DENIED, ErrorCode.MANIFEST_INVALID,
          "the referrer has no content", "its manifest lists no layers",
          "Attach the document as a layer of the referrer.");
    }
    if (manifest.layers().size() > MAX_LAYERS) {
      throw new ReferrerFailure(FailureKind.DENIED, ErrorCode.MANIFEST_INVALID,
          "the referrer has too many layers",
          "its manifest lists " + manifest.layers().size() + " layers, more than " + MAX_LAYERS,
          "Attach one document per referrer.");
    }
    List<Layer> layers = new ArrayList<>();
    for (Descriptor layer : manifest.layers()) {
      if (layer.size() > maxLayerBytes) {
        throw new ReferrerFailure(FailureKind.DENIED, ErrorCode.GET_BLOB_CONTENT_FAILURE,
            "the referrer's document is too large",
            "layer " + layer.digest() + " is " + layer.size() + " bytes, more than the limit of "
                + maxLayerBytes + " bytes",
            "Attach a smaller document.");
      }
      try {
        layers.add(new Layer(layer, judged.fetchBlob(layer, deadline)));
      } catch (StoreException e) {
        throw new ReferrerFailure(FailureKind.TRANSIENT, ErrorCode.GET_BLOB_CONTENT_FAILURE,
            "could not read the referrer's layer " + layer.digest(), e.getMessage(),
            "Check that the registry is reachable and the blob is intact.");
      }
    }
    return new AttachedArtifact(manifest, layers);
  }
}
