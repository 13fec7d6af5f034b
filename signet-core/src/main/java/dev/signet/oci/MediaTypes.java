package dev.signet.oci;

/** Media and artifact types of the OCI image and distribution specifications and of Notary. */
public final class MediaTypes {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_ARTIFACT_MANIFEST = "application/vnd.oci.artifact.manifest.v1+json";
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";

  /** artifactType of Notary signature manifests, and the legacy config media type. */
  public static final String NOTARY_SIGNATURE = "application/vnd.cncf.notary.signature";

  public static final String JWS_ENVELOPE = "application/jose+json";
  public static final String COSE_ENVELOPE = "application/cose";

  private MediaTypes() {}

  public static boolean isIndex(String mediaType) {
    return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  /** The artifact type Ratify gives the synthetic referrer for a cosign {@code .sig} tag. */
  public static final String COSIGN_SIGNATURE_ARTIFACT_TYPE =
      "application/vnd.dev.cosign.artifact.sig.v1+json";
}
