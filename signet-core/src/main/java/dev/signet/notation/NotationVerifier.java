package dev.signet.notation;

import dev.signet.deadline.Deadline;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.notation.envelope.EnvelopeContent;
import dev.signet.notation.envelope.EnvelopeException;
import dev.signet.notation.envelope.ExtendedAttribute;
import dev.signet.notation.envelope.SignatureEnvelope;
import dev.signet.notation.envelope.SigningScheme;
import dev.signet.notation.revocation.CertificateStatus;
import dev.signet.notation.x509.Purpose;
import dev.signet.notation.revocation.RevocationChecker;
import dev.signet.notation.revocation.RevocationOutcome;
import dev.signet.notation.timestamp.TimestampException;
import dev.signet.notation.timestamp.TimestampVerifier;
import dev.signet.notation.timestamp.VerifiedTimestamp;
import dev.signet.notation.trustpolicy.TrustPolicyDocument;
import dev.signet.notation.trustpolicy.TrustPolicyException;
import dev.signet.notation.trustpolicy.TrustPolicyStatement;
import dev.signet.notation.trustpolicy.TrustStoreRef;
import dev.signet.notation.trustpolicy.TrustedIdentities;
import dev.signet.notation.trustpolicy.ValidationAction;
import dev.signet.notation.trustpolicy.VerificationLevel;
import dev.signet.notation.trustpolicy.VerifyTimestamp;
import dev.signet.notation.truststore.StoreType;
import dev.signet.notation.truststore.TrustStore;
import dev.signet.notation.truststore.TrustStoreException;
import dev.signet.notation.x509.GoNameFormat;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ManifestFormatException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Verifies one Notary Project signature of an OCI artifact against a trust policy: the workflow of
 * the trust store and trust policy specification, in notation's order (checklist §8): integrity,
 * critical attributes, authenticity, trusted identity, expiry, authentic timestamp, revocation, then
 * the payload's target artifact.
 *
 * <p>Where notation-go is laxer than the specification, this class takes the specification's side:
 * unknown critical attributes fail integrity, and signatures that need a verification plugin fail
 * with a message saying plugins are not supported.
 */
public final class NotationVerifier {
  static final String VERIFICATION_PLUGIN = "io.cncf.notary.verificationPlugin";
  private static final int MAX_PAYLOAD_BYTES = 1024 * 1024;
  private static final DateTimeFormatter RFC1123Z =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

  private final TrustPolicyDocument policy;
  private final TrustStore trustStore;
  private final TimestampVerifier timestampVerifier;
  private final RevocationChecker revocationChecker;
  private final Clock clock;

  public NotationVerifier(
      TrustPolicyDocument policy,
      TrustStore trustStore,
      TimestampVerifier timestampVerifier,
      RevocationChecker revocationChecker,
      Clock clock) {
    this.policy = policy;
    this.trustStore = trustStore;
    this.timestampVerifier = timestampVerifier;
    this.revocationChecker = revocationChecker;
    this.clock = clock;
  }

  /**
   * Verifies a signature envelope.
   *
   * @param target the resolved descriptor of the artifact the signature must be for
   * @param artifactReference {@code <repository>@<digest>}; its repository selects the trust policy
   * @param envelopeMediaType the signature manifest layer's media type
   * @param envelope the envelope bytes
   * @param deadline bounds revocation fetches
   */
  public VerificationOutcome verify(
      Descriptor target,
      String artifactReference,
      String envelopeMediaType,
      byte[] envelope,
      Deadline deadline) {
    TrustPolicyStatement statement;
    try {
      statement = policy.statementFor(artifactReference);
    } catch (TrustPolicyException e) {
      return new VerificationOutcome(false, null, null, e.getMessage(), List.of(), null);
    }
    if (statement.signatureVerification().level() == VerificationLevel.SKIP) {
      return new VerificationOutcome(true, statement.name(), null, null, List.of(), null);
    }
    Run run = new Run(statement);

    // Integrity: always enforced.
    EnvelopeContent content;
    try {
      content = SignatureEnvelope.verify(envelopeMediaType, envelope);
    } catch (EnvelopeException e) {
      run.record(Check.INTEGRITY,
          Optional.of("unable to parse the digital signature, error : " + e.getMessage()));
      return run.outcome(null);
    }
    Optional<String> critical = unsupportedCriticalAttribute(content);
    run.record(Check.INTEGRITY, critical);
    if (critical.isPresent()) {
      return run.outcome(content);
    }

    X509Certificate leaf = content.leaf();
    String leafSubject = GoNameFormat.format(leaf.getSubjectX500Principal());

    // Authenticity, then trusted identity under the same action.
    if (run.record(Check.AUTHENTICITY, authenticity(statement, content)).fatal()) {
      return run.outcome(content);
    }
    if (run.record(Check.TRUSTED_IDENTITY, TrustedIdentities.mismatch(statement, leafSubject))
        .fatal()) {
      return run.outcome(content);
    }

    Instant now = clock.instant();
    Optional<String> expired =
        content.expiry() != null && !now.isBefore(content.expiry())
            ? Optional.of(
                "digital signature has expired on \"" + RFC1123Z.format(content.expiry()) + "\"")
            : Optional.empty();
    if (run.record(Check.EXPIRY, expired).fatal()) {
      return run.outcome(content);
    }

    if (run.record(Check.AUTHENTIC_TIMESTAMP, authenticTimestamp(statement, content, now, deadline))
        .fatal()) {
      return run.outcome(content);
    }

    if (run.action(Check.REVOCATION) != ValidationAction.SKIP) {
      Instant signingTime =
          content.signingScheme() == SigningScheme.X509_SIGNING_AUTHORITY
              ? content.authenticSigningTime()
              : null;
      Optional<String> revoked =
          revocationFailure(
              revocationChecker.check(
                  content.certificateChain(), Purpose.CODE_SIGNING, signingTime, deadline),
              Purpose.CODE_SIGNING);
      if (run.record(Check.REVOCATION, revoked).fatal()) {
        return run.outcome(content);
      }
    }

    // The payload must name the artifact being verified, at every level.
    run.record(Check.INTEGRITY, targetMismatch(content, target), ValidationAction.ENFORCE);
    return run.outcome(content);
  }

  /** The spec requires unknown critical attributes to fail; we understand none beyond Notary's. */
  private static Optional<String> unsupportedCriticalAttribute(EnvelopeContent content) {
    for (ExtendedAttribute a : content.extendedAttributes()) {
      if (a.key().equals(VERIFICATION_PLUGIN)) {
        return Optional.of(
            "the signature requires the verification plugin \""
                + a.value()
                + "\", and verification plugins are not supported; verify this artifact with notation"
                + " and the plugin, or re-sign it without a plugin");
      }
    }
    for (ExtendedAttribute a : content.extendedAttributes()) {
      if (a.critical()) {
        return Optional.of(
            "the signature marks the extended attribute \""
                + a.key()
                + "\" as critical, and it is not understood; unknown critical attributes are rejected"
                + " (Notary Project signature specification)");
      }
    }
    return Optional.empty();
  }

  private Optional<String> authenticity(TrustPolicyStatement statement, EnvelopeContent content) {
    StoreType type =
        content.signingScheme() == SigningScheme.X509_SIGNING_AUTHORITY
            ? StoreType.SIGNING_AUTHORITY
            : StoreType.CA;
    List<X509Certificate> trusted;
    try {
      trusted = certificates(statement, type);
    } catch (TrustStoreException e) {
      return Optional.of("error while loading the trust store, " + e.getMessage());
    }
    if (trusted.isEmpty()) {
      return Optional.of(
          "no trusted certificates are found to verify authenticity (the trust policy statement \""
          + statement.name()
          + "\" lists no "
          + type.value()
          + ": trust store)");
    }
    Set<ByteKey> anchors = new LinkedHashSet<>();
    for (X509Certificate c : trusted) {
      anchors.add(ByteKey.of(c));
    }
    for (X509Certificate c : content.certificateChain()) {
      if (anchors.contains(ByteKey.of(c))) {
        return Optional.empty();
      }
    }
    return Optional.of("the signature's certificate chain does not contain any trusted certificate");
  }

  private List<X509Certificate> certificates(TrustPolicyStatement statement, StoreType type)
      throws TrustStoreException {
    List<X509Certificate> out = new ArrayList<>();
    Set<TrustStoreRef> seen = new LinkedHashSet<>();
    for (TrustStoreRef ref : statement.trustStores()) {
      if (ref.type() == type && seen.add(ref)) {
        out.addAll(trustStore.certificates(type, ref.name()));
      }
    }
    return out;
  }

  private Optional<String> authenticTimestamp(
      TrustPolicyStatement statement, EnvelopeContent content, Instant now, Deadline deadline) {
    List<X509Certificate> chain = content.certificateChain();
    if (content.signingScheme() == SigningScheme.X509_SIGNING_AUTHORITY) {
      Instant at = content.authenticSigningTime();
      for (X509Certificate c : chain) {
        if (at.isBefore(c.getNotBefore().toInstant()) || at.isAfter(c.getNotAfter().toInstant())) {
          return Optional.of("certificate \""
              + dn(c)
              + "\" was not valid when the digital signature was produced at \""
              + RFC1123Z.format(at)
              + "\"");
        }
      }
      return Optional.empty();
    }
    boolean tsaListed =
        statement.trustStores().stream().anyMatch(r -> r.type() == StoreType.TSA);
    boolean chainExpired = chain.stream().anyMatch(c -> now.isAfter(c.getNotAfter().toInstant()));
    boolean perform =
        tsaListed
            && (statement.signatureVerification().verifyTimestamp() != VerifyTimestamp.AFTER_CERT_EXPIRY
                || chainExpired);
    if (!perform) {
      for (X509Certificate c : chain) {
        if (now.isBefore(c.getNotBefore().toInstant())) {
          return Optional.of("verification time is before certificate \""
              + dn(c)
              + "\" validity period, it will be valid from \""
              + RFC1123Z.format(c.getNotBefore().toInstant())
              + "\"");
        }
        if (now.isAfter(c.getNotAfter().toInstant())) {
          return Optional.of("verification time is after certificate \""
              + dn(c)
              + "\" validity period, it was expired at \""
              + RFC1123Z.format(c.getNotAfter().toInstant())
              + "\""
              + (tsaListed
                  ? ""
                  : "; a timestamp countersignature can prove the signature was made while the"
                      + " certificate was valid: add a tsa: trust store to the trust policy"));
        }
      }
      return Optional.empty();
    }
    if (content.timestampToken() == null) {
      return Optional.of("no timestamp countersignature was found in the signature envelope");
    }
    VerifiedTimestamp timestamp;
    try {
      timestamp =
          timestampVerifier.verify(
              content.timestampToken(),
              content.signature(),
              () -> certificates(statement, StoreType.TSA));
    } catch (TimestampException e) {
      return Optional.of(e.getMessage());
    }
    for (X509Certificate c : chain) {
      if (timestamp.earliest().isBefore(c.getNotBefore().toInstant())) {
        return Optional.of("timestamp can be before certificate \""
            + dn(c)
            + "\" validity period, it will be valid from \""
            + RFC1123Z.format(c.getNotBefore().toInstant())
            + "\"");
      }
      if (timestamp.latest().isAfter(c.getNotAfter().toInstant())) {
        return Optional.of("timestamp can be after certificate \""
            + dn(c)
            + "\" validity period, it was expired at \""
            + RFC1123Z.format(c.getNotAfter().toInstant())
            + "\"");
      }
    }
    // The TSA chain's revocation belongs to this check and runs even when revocation is skipped.
    return revocationFailure(
        revocationChecker.check(timestamp.tsaChain(), Purpose.TIMESTAMPING, null, deadline),
        Purpose.TIMESTAMPING);
  }

  /** Notation's message for a chain's revocation result, with the deciding detail appended. */
  private static Optional<String> revocationFailure(
      List<CertificateStatus> statuses, Purpose purpose) {
    RevocationOutcome outcome =
        RevocationOutcome.summarize(statuses, NotationVerifier::dn, purpose);
    if (outcome.passed()) {
      return Optional.empty();
    }
    String detail = outcome.cause().detail();
    return Optional.of(detail == null ? outcome.message() : outcome.message() + ": " + detail);
  }

  private static Optional<String> targetMismatch(EnvelopeContent content, Descriptor target) {
    Descriptor signed;
    try {
      JsonNode payload = StrictJson.parseObject(content.payload(), MAX_PAYLOAD_BYTES, "signature payload");
      JsonNode artifact = payload.get("targetArtifact");
      signed = Descriptor.fromJson(artifact, "targetArtifact");
      if (signed.mediaType() == null) {
        return Optional.of("the signature payload's targetArtifact has no mediaType");
      }
    } catch (JsonFormatException | ManifestFormatException e) {
      return Optional.of("the signature payload is invalid: " + e.getMessage());
    }
    if (!signed.sameContent(target)) {
      return Optional.of("content descriptor mismatch: the signature is for "
          + signed.digest()
          + " ("
          + signed.mediaType()
          + ", "
          + signed.size()
          + " bytes), not for the artifact being verified, "
          + target.digest()
          + " ("
          + target.mediaType()
          + ", "
          + target.size()
          + " bytes)");
    }
    return Optional.empty();
  }

  private static String dn(X509Certificate c) {
    return GoNameFormat.format(c.getSubjectX500Principal());
  }

  /** Collects check results with the actions of one trust policy statement. */
  private static final class Run {
    private final TrustPolicyStatement statement;
    private final List<CheckResult> results = new ArrayList<>();

    Run(TrustPolicyStatement statement) {
      this.statement = statement;
    }

    ValidationAction action(Check check) {
      return statement.signatureVerification().action(check.validationType());
    }

    /** Records a check: its failure, or empty when it passed. */
    CheckResult record(Check check, Optional<String> failure) {
      return record(check, failure, action(check));
    }

    CheckResult record(Check check, Optional<String> failure, ValidationAction action) {
      CheckResult r = new CheckResult(check, action, failure.orElse(null));
      results.add(r);
      return r;
    }

    VerificationOutcome outcome(EnvelopeContent content) {
      for (CheckResult r : results) {
        if (r.fatal()) {
          return new VerificationOutcome(
              false, statement.name(), r.check(), r.failure(), results, content);
        }
      }
      return new VerificationOutcome(true, statement.name(), null, null, results, content);
    }
  }

  /** Certificates compared byte for byte. */
  private record ByteKey(byte[] der) {
    static ByteKey of(X509Certificate c) {
      try {
        return new ByteKey(c.getEncoded());
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("a parsed certificate could not be re-encoded", e);
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByteKey k && Arrays.equals(der, k.der);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(der);
    }
  }
}
