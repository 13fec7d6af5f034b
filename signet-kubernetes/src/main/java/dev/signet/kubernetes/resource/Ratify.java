package dev.signet.kubernetes.resource;

/** Ratify's API group and the version Signet reads and writes (the CRDs' storage version). */
public final class Ratify {
  public static final String GROUP = "config.ratify.deislabs.io";
  public static final String VERSION = "v1beta1";

  private Ratify() {}
}
