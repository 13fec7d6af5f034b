package dev.signet.oci;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.reference.Reference;
import java.util.List;

/**
 * Where subjects and their referrers (signatures, SBOMs, ...) are read from: an OCI layout on disk or
 * a registry. Every byte returned has been checked against its descriptor's digest and size.
 *
 * <p>The configuration that opened a store owns it and closes it once no decision uses it any more
 * (a registry store's HTTP client holds connections and threads).
 */
public interface ReferrerStore extends AutoCloseable {

  /** What the store is, for messages: its plugin name and what it reads ({@code oras}, ...). */
  default String describe() {
    return getClass().getSimpleName();
  }

  /** Releases what the store holds; by default nothing. Never throws. */
  @Override
  default void close() {}

  /**
   * The repository path that trust policy {@code registryScopes} are matched against: the
   * normalized {@code registry/repository} for registries.
   */
  default String policyRepository(Reference reference) {
    return reference.qualifiedName();
  }

  /** Resolves a reference (by digest or tag) to the subject's descriptor. */
  Descriptor resolve(Reference reference, Deadline deadline)
      throws StoreException, DeadlineExceededException;

  /**
   * Lists the manifests whose {@code subject} is {@code subject}.
   *
   * @param artifactType only referrers of this type, or all when null
   */
  List<Descriptor> referrers(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline)
      throws StoreException, DeadlineExceededException;

  /** Fetches a manifest by its descriptor, digest- and size-checked. */
  byte[] fetchManifest(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException;

  /** Fetches a blob by its descriptor, digest- and size-checked. */
  byte[] fetchBlob(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException;
}
