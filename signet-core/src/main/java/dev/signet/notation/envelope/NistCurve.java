package dev.signet.notation.envelope;

// Notary Project signature-specification.md "Algorithm Selection": ECDSA on P-256, P-384, P-521.

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

/** Whether EC domain parameters are exactly the NIST curve an algorithm is bound to. */
final class NistCurve {
  private NistCurve() {}

  static boolean matches(ECParameterSpec params, SignatureAlgorithm algorithm) {
    String name =
        switch (algorithm) {
          case ES256 -> "secp256r1";
          case ES384 -> "secp384r1";
          case ES512 -> "secp521r1";
          default -> null;
        };
    if (name == null || params == null) {
      return false;
    }
    try {
      AlgorithmParameters named = AlgorithmParameters.getInstance("EC");
      named.init(new ECGenParameterSpec(name));
      ECParameterSpec expected = named.getParameterSpec(ECParameterSpec.class);
      return expected.getCurve().equals(params.getCurve())
          && expected.getGenerator().equals(params.getGenerator())
          && expected.getOrder().equals(params.getOrder())
          && expected.getCofactor() == params.getCofactor();
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
