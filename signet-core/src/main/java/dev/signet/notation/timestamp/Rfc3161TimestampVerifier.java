package dev.signet.notation.timestamp;

// Notary Project signing-and-verification-workflow (authentic timestamp) and RFC 3161;
// checklist §8.6 steps (b)-(g) and §9. Steps (h) and (i) belong to the verification workflow.

import dev.signet.notation.truststore.TrustStoreException;
import dev.signet.notation.x509.CertificateChainException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.bouncycastle.asn1.cms.SignerInfo;

/**
 * Verifies an RFC 3161 TimeStampToken countersigning a signature's raw bytes. The TSA chain is
 * built from the token's certificates to a root of the supplied store and validated at the token's
 * genTime, not at the current time. Revocation of the TSA chain is not checked here.
 */
public final class Rfc3161TimestampVerifier implements TimestampVerifier {
  /** Real tokens are a few kilobytes; anything over this is refused before parsing. */
  public static final int MAX_TOKEN_SIZE = 1024 * 1024;

  private static final String PARSE = "failed to parse timestamp countersignature with error: ";
  private static final String INFO = "failed to get the timestamp TSTInfo with error: ";
  private static final String VERIFY =
      "failed to verify the timestamp countersignature with error: failed to verify signed token: ";

  private final TsaChainRules chainRules;

  /**
   * @param chainRules the Notary timestamping-chain rules applied to the built chain (step g)
   */
  public Rfc3161TimestampVerifier(TsaChainRules chainRules) {
    this.chainRules = Objects.requireNonNull(chainRules, "chainRules");
  }

  @Override
  public VerifiedTimestamp verify(byte[] token, byte[] signature, TsaRoots roots)
      throws TimestampException {
    Objects.requireNonNull(signature, "signature");
    return verify(token, info -> info.imprintMatches(signature), roots);
  }

  /** The steps of {@link #verify}, with the imprint check (d) supplied by the caller (tests). */
  VerifiedTimestamp verify(byte[] token, Predicate<TokenInfo> imprint, TsaRoots roots)
      throws TimestampException {
    Objects.requireNonNull(roots, "roots");
    // (b) parse
    if (token == null || token.length == 0) {
      throw new TimestampException(PARSE + "timestamp token is empty");
    }
    if (token.length > MAX_TOKEN_SIZE) {
      throw new TimestampException(
          PARSE + "timestamp token exceeds the size limit of " + MAX_TOKEN_SIZE + " bytes");
    }
    SignedToken signed;
    try {
      signed = SignedToken.parse(token);
    } catch (TokenException e) {
      throw new TimestampException(PARSE + e.getMessage(), e);
    }
    // (c) TSTInfo
    TokenInfo info;
    try {
      info = TokenInfo.parse(signed.tstInfo());
    } catch (TokenException e) {
      throw new TimestampException(INFO + e.getMessage(), e);
    }
    // (d) the token must countersign exactly these signature bytes
    if (!imprint.test(info)) {
      throw new TimestampException(
          "failed to get timestamp from timestamp countersignature with error: invalid TSTInfo:"
              + " mismatched message");
    }
    // (e) TSA roots, loaded only once the token is known to be about this signature
    List<X509Certificate> trusted;
    try {
      trusted = roots.load();
    } catch (TrustStoreException e) {
      throw new TimestampException(
          "failed to load tsa trust store with error: " + e.getMessage(), e);
    }
    if (trusted == null || trusted.isEmpty()) {
      throw new TimestampException("no trusted TSA certificate found in trust store");
    }
    // (f) the first SignerInfo that verifies wins; otherwise report the last failure
    List<X509Certificate> chain = verifySigners(signed, info, trusted);
    // (g) Notary timestamping-chain rules on the built chain
    try {
      chainRules.validate(chain);
    } catch (CertificateChainException e) {
      throw new TimestampException(
          "failed to validate the timestamping certificate chain with error: " + e.getMessage(), e);
    }
    return new VerifiedTimestamp(info.genTime(), info.accuracy(), chain);
  }

  private static List<X509Certificate> verifySigners(
      SignedToken signed, TokenInfo info, List<X509Certificate> trusted) throws TimestampException {
    if (signed.signerInfos().isEmpty()) {
      throw new TimestampException(VERIFY + "signerInfo not found");
    }
    SignerInfoVerifier verifier = new SignerInfoVerifier(signed, info.genTime(), trusted);
    TokenException last = null;
    for (SignerInfo signer : signed.signerInfos()) {
      try {
        return verifier.verify(signer);
      } catch (TokenException e) {
        last = e;
      } catch (RuntimeException e) {
        // Malformed ASN.1 inside a SignerInfo surfaces lazily from BouncyCastle.
        last = new TokenException("cms verification failure: " + e.getMessage(), e);
      }
    }
    throw new TimestampException(VERIFY + last.getMessage(), last);
  }
}
