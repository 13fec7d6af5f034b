package dev.signet.server.admission;

/** Pins an image reference to the digest its tag names today, for the mutating webhook. */
@FunctionalInterface
public interface ImageResolver {
  /**
   * Resolves {@code image} (a tag reference) to {@code registry/repository@sha256:<hex>}.
   *
   * @throws Exception when the image cannot be resolved; the mutating webhook then leaves the image
   *     unchanged and warns
   */
  String pin(String image) throws Exception;
}
