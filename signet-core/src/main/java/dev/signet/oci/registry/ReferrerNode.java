package dev.signet.oci.registry;

import dev.signet.oci.Descriptor;
import java.util.List;

/** A referrer and, recursively, its own referrers (signatures of an SBOM, ...). */
public record ReferrerNode(Descriptor descriptor, List<ReferrerNode> referrers) {
  public ReferrerNode {
    referrers = List.copyOf(referrers);
  }
}
