package dev.signet.verify;

/**
 * An executor built from one version of the configuration and trust material. The generation grows
 * whenever either changes, so that results cached under an older generation are never served.
 */
public record ConfiguredExecutor(long generation, Executor executor) {}
