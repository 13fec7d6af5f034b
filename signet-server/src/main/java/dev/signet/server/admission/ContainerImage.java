package dev.signet.server.admission;

/**
 * One container's image in the admitted object.
 *
 * @param image the image reference as written
 * @param pointer the JSON pointer (RFC 6901) of the {@code image} field, for JSON patches
 */
record ContainerImage(String image, String pointer) {}
