package dev.signet.bench;

import dev.signet.deadline.Deadline;
import dev.signet.json.StrictJson;
import dev.signet.notation.NotationVerifier;
import dev.signet.notation.VerificationOutcome;
import dev.signet.notation.envelope.EnvelopeContent;
import dev.signet.notation.envelope.EnvelopeException;
import dev.signet.notation.envelope.SignatureEnvelope;
import dev.signet.notation.revocation.RevocationChecker;
import dev.signet.notation.timestamp.TimestampVerifier;
import dev.signet.notation.trustpolicy.TrustPolicyDocument;
import dev.signet.notation.truststore.NamedTrustStore;
import dev.signet.notation.truststore.StoreType;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.MediaTypes;
import dev.signet.testing.CoseTestSigner;
import dev.signet.testing.JwsTestSigner;
import dev.signet.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of verifying one Notary signature envelope (JWS and COSE) with a 3-certificate chain (root,
 * intermediate, leaf), in-process and warm, against the raw signature verifications that the
 * verification performs (issue 2; results in docs/performance.md).
 *
 * <p>{@link SignatureEnvelope#verify} performs, for a chain leaf &lt;- intermediate &lt;- root
 * (see {@code CertificateChains.validate}), exactly four public-key signature verifications:
 *
 * <ol>
 *   <li>the envelope signature (RSASSA-PSS or ECDSA over the JWS signing input / COSE
 *       Sig_structure);
 *   <li>leaf self-signed check: none, the leaf is not a CA, so Go's {@code CheckSignatureFrom}
 *       refuses it before any crypto;
 *   <li>leaf signed by the intermediate;
 *   <li>intermediate self-signed check: none, its issuer name differs from its subject name, which
 *       is compared before any crypto;
 *   <li>intermediate signed by the root;
 *   <li>root signed by itself.
 * </ol>
 *
 * <p>{@link #rawBaseline} does those four with plain {@link Signature} objects on pre-decoded
 * inputs (keys, TBS bytes, signature bytes), nothing else.
 *
 * <p>The JDK's X.509 certificate factory caches parsed certificates by their encoding, and a parsed
 * certificate remembers the last key it was verified with. Verifying the same envelope again
 * therefore skips the leaf and root signature checks (each is only ever checked with one key); the
 * intermediate, checked with two keys in turn, is verified each time. {@link #jwsDistinctChains}
 * and {@link #coseDistinctChains} defeat that cache by cycling through more distinct chains than
 * it holds, so that every certificate is parsed and verified afresh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EnvelopeVerificationBenchmark {

  private static final String SUBJECT_MEDIA_TYPE = MediaTypes.OCI_MANIFEST;
  private static final Descriptor TARGET =
      new Descriptor(
          SUBJECT_MEDIA_TYPE,
          Digest.sha256("signet benchmark subject".getBytes(StandardCharsets.UTF_8)),
          512);
  private static final String ARTIFACT_REFERENCE = "registry.example/bench@" + TARGET.digest();
  private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

  // More distinct chains than the JDK certificate factory's cache (750 entries) holds.
  private static final int DISTINCT_CHAINS = 1024;

  private static final String POLICY =
      """
      {
        "version": "1.0",
        "trustPolicies": [
          {
            "name": "bench",
            "registryScopes": ["*"],
            "signatureVerification": {"level": "strict", "override": {"revocation": "skip"}},
            "trustStores": ["ca:bench"],
            "trustedIdentities": ["*"]
          }
        ]
      }
      """;

  /** The three key pairs of one chain. */
  record ChainKeys(KeyPair root, KeyPair intermediate, KeyPair leaf) {
    static ChainKeys generate(TestPki.KeyType type) {
      return new ChainKeys(type.generate(), type.generate(), type.generate());
    }

    /** A fresh chain (new serial numbers, so new encodings), leaf first. */
    List<TestPki.Issued> issue() {
      TestPki.Issued r =
          TestPki.root("CN=Bench Root,O=Signet,ST=WA,C=US").keyPair(root).selfSigned();
      TestPki.Issued i =
          TestPki.intermediate("CN=Bench Intermediate,O=Signet,ST=WA,C=US")
              .keyPair(intermediate)
              .issuedBy(r);
      TestPki.Issued l =
          TestPki.leaf("CN=Bench Leaf,O=Signet,ST=WA,C=US").keyPair(leaf).issuedBy(i);
      return List.of(l, i, r);
    }
  }

  static byte[] jws(List<TestPki.Issued> chain) {
    return JwsTestSigner.of(
            chain.get(0), chain.get(1).certificate(), chain.get(2).certificate())
        .payloadDescriptor(TARGET.mediaType(), TARGET.digest().toString(), TARGET.size())
        .sign()
        .bytes();
  }

  static byte[] cose(List<TestPki.Issued> chain) {
    return CoseTestSigner.of(chain.get(0).privateKey(), certificates(chain))
        .descriptor(TARGET)
        .sign();
  }

  static List<X509Certificate> certificates(List<TestPki.Issued> chain) {
    return chain.stream().map(TestPki.Issued::certificate).toList();
  }

  /** One signature check with pre-decoded inputs. */
  record RawCheck(Signature signature, PublicKey key, byte[] data, byte[] value) {
    boolean verify() throws GeneralSecurityException {
      signature.initVerify(key);
      signature.update(data);
      return signature.verify(value);
    }

    static RawCheck certificate(X509Certificate cert, PublicKey key)
        throws GeneralSecurityException {
      return new RawCheck(
          Signature.getInstance(cert.getSigAlgName()),
          key,
          cert.getTBSCertificate(),
          cert.getSignature());
    }
  }

  /** The same envelopes verified over and over (the common case: one signer, warm caches). */
  @State(Scope.Benchmark)
  public static class Envelopes {
    @Param({"RSA_2048", "EC_P256"})
    public String keyType;

    byte[] jws;
    byte[] cose;
    RawCheck[] raw;
    NotationVerifier verifier;
    Deadline deadline;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      List<TestPki.Issued> chain = ChainKeys.generate(TestPki.KeyType.valueOf(keyType)).issue();
      jws = EnvelopeVerificationBenchmark.jws(chain);
      cose = EnvelopeVerificationBenchmark.cose(chain);
      raw = rawChecks(chain, jws);
      verifier = verifier(chain.get(2).certificate());
      deadline = Deadline.none(Clock.fixed(NOW, ZoneOffset.UTC));
      selfCheck();
    }

    /** Fails the run early when something measured would not verify. */
    private void selfCheck() throws Exception {
      SignatureEnvelope.verify(MediaTypes.JWS_ENVELOPE, jws);
      SignatureEnvelope.verify(MediaTypes.COSE_ENVELOPE, cose);
      int passed = 0;
      for (RawCheck check : raw) {
        passed += check.verify() ? 1 : 0;
      }
      if (passed != raw.length) {
        throw new IllegalStateException("raw baseline: expected all 4 checks to pass, " + passed);
      }
      for (String mediaType : List.of(MediaTypes.JWS_ENVELOPE, MediaTypes.COSE_ENVELOPE)) {
        byte[] envelope = mediaType.equals(MediaTypes.JWS_ENVELOPE) ? jws : cose;
        VerificationOutcome outcome =
            verifier.verify(TARGET, ARTIFACT_REFERENCE, mediaType, envelope, deadline);
        if (!outcome.verified()) {
          throw new IllegalStateException(
              "full workflow did not verify: " + outcome.failedCheck() + " " + outcome.reason());
        }
      }
    }
  }

  /** A different chain and envelope on every call, so no certificate is parsed or checked twice. */
  @State(Scope.Thread)
  public static class DistinctEnvelopes {
    @Param({"RSA_2048", "EC_P256"})
    public String keyType;

    byte[][] jws;
    byte[][] cose;
    int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      ChainKeys keys = ChainKeys.generate(TestPki.KeyType.valueOf(keyType));
      jws = new byte[DISTINCT_CHAINS][];
      cose = new byte[DISTINCT_CHAINS][];
      for (int n = 0; n < DISTINCT_CHAINS; n++) {
        List<TestPki.Issued> chain = keys.issue();
        jws[n] = EnvelopeVerificationBenchmark.jws(chain);
        cose[n] = EnvelopeVerificationBenchmark.cose(chain);
      }
      SignatureEnvelope.verify(MediaTypes.JWS_ENVELOPE, jws[0]);
      SignatureEnvelope.verify(MediaTypes.COSE_ENVELOPE, cose[0]);
    }

    int index() {
      int n = next;
      next = n + 1 == DISTINCT_CHAINS ? 0 : n + 1;
      return n;
    }
  }

  /**
   * The four checks of {@link SignatureEnvelope#verify} for this chain, with the JWS envelope's
   * signing input and signature.
   */
  static RawCheck[] rawChecks(List<TestPki.Issued> chain, byte[] jwsEnvelope)
      throws GeneralSecurityException {
    X509Certificate leaf = chain.get(0).certificate();
    X509Certificate intermediate = chain.get(1).certificate();
    X509Certificate root = chain.get(2).certificate();
    return new RawCheck[] {
      envelopeCheck(leaf.getPublicKey(), jwsEnvelope),
      RawCheck.certificate(leaf, intermediate.getPublicKey()),
      RawCheck.certificate(intermediate, root.getPublicKey()),
      RawCheck.certificate(root, root.getPublicKey())
    };
  }

  private static RawCheck envelopeCheck(PublicKey key, byte[] jwsEnvelope)
      throws GeneralSecurityException {
    // The flattened JWS JSON: {"payload": ..., "protected": ..., "header": ..., "signature": ...}
    Map<?, ?> members = StrictJson.MAPPER.readValue(jwsEnvelope, Map.class);
    String protectedText = (String) members.get("protected");
    String payloadText = (String) members.get("payload");
    byte[] signingInput = (protectedText + "." + payloadText).getBytes(StandardCharsets.US_ASCII);
    byte[] value = Base64.getUrlDecoder().decode((String) members.get("signature"));
    Signature signature;
    if (key.getAlgorithm().equals("RSA")) {
      signature = Signature.getInstance("RSASSA-PSS");
      signature.setParameter(
          new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    } else {
      signature = Signature.getInstance("SHA256withECDSAinP1363Format");
    }
    return new RawCheck(signature, key, signingInput, value);
  }

  static NotationVerifier verifier(X509Certificate root) throws Exception {
    Path file = Files.createTempFile("signet-bench-root", ".pem");
    try {
      String pem =
          "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(root.getEncoded())
              + "\n-----END CERTIFICATE-----\n";
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
      NamedTrustStore store =
          NamedTrustStore.of(Map.of(StoreType.CA, Map.of("bench", List.of(file))));
      TimestampVerifier noTimestamps =
          (token, signature, roots) -> {
            throw new IllegalStateException("the benchmark policy lists no TSA store");
          };
      RevocationChecker noRevocation =
          (chain, purpose, signingTime, deadline) -> {
            throw new IllegalStateException("the benchmark policy skips revocation");
          };
      return new NotationVerifier(
          TrustPolicyDocument.parse(POLICY.getBytes(StandardCharsets.UTF_8)),
          store,
          noTimestamps,
          noRevocation,
          Clock.fixed(NOW, ZoneOffset.UTC));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Benchmark
  public EnvelopeContent jws(Envelopes e) throws EnvelopeException {
    return SignatureEnvelope.verify(MediaTypes.JWS_ENVELOPE, e.jws);
  }

  @Benchmark
  public EnvelopeContent cose(Envelopes e) throws EnvelopeException {
    return SignatureEnvelope.verify(MediaTypes.COSE_ENVELOPE, e.cose);
  }

  @Benchmark
  public int rawBaseline(Envelopes e) throws GeneralSecurityException {
    int passed = 0;
    for (RawCheck check : e.raw) {
      passed += check.verify() ? 1 : 0;
    }
    return passed;
  }

  @Benchmark
  public VerificationOutcome fullWorkflowJws(Envelopes e) {
    return e.verifier.verify(TARGET, ARTIFACT_REFERENCE, MediaTypes.JWS_ENVELOPE, e.jws, e.deadline);
  }

  @Benchmark
  public VerificationOutcome fullWorkflowCose(Envelopes e) {
    return e.verifier.verify(
        TARGET, ARTIFACT_REFERENCE, MediaTypes.COSE_ENVELOPE, e.cose, e.deadline);
  }

  @Benchmark
  public EnvelopeContent jwsDistinctChains(DistinctEnvelopes d) throws EnvelopeException {
    return SignatureEnvelope.verify(MediaTypes.JWS_ENVELOPE, d.jws[d.index()]);
  }

  @Benchmark
  public EnvelopeContent coseDistinctChains(DistinctEnvelopes d) throws EnvelopeException {
    return SignatureEnvelope.verify(MediaTypes.COSE_ENVELOPE, d.cose[d.index()]);
  }
}
