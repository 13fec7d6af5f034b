package dev.signet.verify;

import dev.signet.notation.NotationVerifier;
import dev.signet.notation.revocation.CertificateStatus;
import dev.signet.notation.revocation.RevocationStatus;
import dev.signet.notation.trustpolicy.TrustPolicyDocument;
import dev.signet.oci.Descriptor;
import dev.signet.oci.MediaTypes;
import dev.signet.testing.JwsTestSigner;
import dev.signet.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** A test PKI, a notation verifier trusting its root, and envelopes signed by its leaf. */
final class Signing {
  static final String POLICY =
      "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"all\",\"registryScopes\":[\"*\"],"
          + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:certs\"],"
          + "\"trustedIdentities\":[\"*\"]}]}";

  final TestPki.Issued root;
  final TestPki.Issued leaf;

  Signing(String name) {
    root = TestPki.root("CN=" + name + " Root").keyType(TestPki.KeyType.EC_P256).selfSigned();
    leaf = TestPki.leaf("CN=" + name + " Signer").keyType(TestPki.KeyType.EC_P256).issuedBy(root);
  }

  /** A JWS envelope over the descriptor, signed by the leaf. */
  byte[] sign(Descriptor target) {
    return JwsTestSigner.of(leaf, root.certificate())
        .payloadDescriptor(target.mediaType(), target.digest().toString(), target.size())
        .sign()
        .bytes();
  }

  /** A notation verifier that trusts this root; revocation reports every certificate as good. */
  NotationVerifier verifier(Clock clock) {
    try {
      return new NotationVerifier(
          TrustPolicyDocument.parse(POLICY.getBytes(StandardCharsets.UTF_8)),
          (type, name) -> List.of(root.certificate()),
          (token, signature, roots) -> {
            throw new dev.signet.notation.timestamp.TimestampException("no timestamps in these tests");
          },
          (chain, purpose, signingTime, deadline) ->
              chain.stream().map(c -> new CertificateStatus(c, RevocationStatus.GOOD, "")).toList(),
          clock);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  NotationReferenceVerifier notation(String name, Clock clock) {
    return new NotationReferenceVerifier(name, Set.of(MediaTypes.NOTARY_SIGNATURE), verifier(clock));
  }
}
