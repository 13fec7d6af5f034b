package dev.signet.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.deadline.Deadline;
import dev.signet.reference.Digest;
import dev.signet.testkit.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Bundles from Sigstore's conformance suite (carried in testdata/vectors/sigstore, see its
 * MANIFEST.md): each case gives the outcome its MANIFEST row names, with the case's own key and
 * trusted root.
 */
class SigstoreConformanceTest {
  private static final String CASES = "sigstore-conformance/test/assets/bundle-verify/";
  /** The SHA-256 of upstream's a.txt, the subject of every carried case. */
  private static final Digest SUBJECT = Digest.parse(
      "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf");
  private static final Deadline OFFLINE = Deadline.none(Clock.systemUTC());
  private static final Pattern ROW =
      Pattern.compile("^\\| `([^`]+)` \\| (verified|fails: (.+?)) \\|");

  private record Case(String directory, String failure) {}

  private static List<Case> manifest() throws Exception {
    List<Case> cases = new ArrayList<>();
    for (String line : Files.readAllLines(Vectors.sigstore("MANIFEST.md"))) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        cases.add(new Case(m.group(1), m.group(3)));
      }
    }
    assertThat(cases).as("MANIFEST.md rows").hasSizeGreaterThanOrEqualTo(3);
    return cases;
  }

  private static Path dir(String name) {
    return Vectors.sigstore(CASES + name);
  }

  private static CosignTrustPolicy keyed(PublicKey key) {
    return new CosignTrustPolicy("conformance", List.of("*"),
        List.of(new CosignTrustPolicy.TrustedKey("key.pub", key)), null, true);
  }

  private static CosignSignature bundle(Path dir) throws Exception {
    return CosignSignature.fromBundle(dir.getFileName().toString(),
        Files.readAllBytes(dir.resolve("bundle.sigstore.json")));
  }

  private static CosignTrustPolicy.Verified verify(Path dir, Digest subject, PublicKey key)
      throws Exception {
    return keyed(key).verify(bundle(dir), subject, () -> {
          throw new AssertionError("a DSSE bundle needs no artifact bytes");
        },
        TrustedRoot.read(dir.resolve("trusted_root.json")), Instant.now(), OFFLINE);
  }

  @TestFactory
  List<DynamicTest> eachCaseGivesItsPublishedOutcome() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (Case c : manifest()) {
      tests.add(DynamicTest.dynamicTest(c.directory(), () -> {
        Path dir = dir(c.directory());
        PublicKey key = PublicKeys.read(dir.resolve("key.pub"));
        if (c.failure() == null) {
          CosignTrustPolicy.Verified v = verify(dir, SUBJECT, key);
          assertThat(v.logIndex()).isZero();
        } else {
          assertThatThrownBy(() -> verify(dir, SUBJECT, key))
              .isInstanceOf(CosignException.class)
              .hasMessageContaining(c.failure());
        }
      }));
    }
    return tests;
  }

  @Test
  void theValidCaseFailsForAnotherSubjectAnotherKeyOrAnotherLog() throws Exception {
    Path valid = dir("intoto-canonical-log-entry");
    PublicKey key = PublicKeys.read(valid.resolve("key.pub"));
    Digest other = Digest.parse("sha256:" + "0".repeat(64));
    assertThatThrownBy(() -> verify(valid, other, key))
        .hasMessageContaining("does not name image " + other);
    PublicKey foreign = PublicKeys.read(dir("dsse-statement-missing-type_fail").resolve("key.pub"));
    assertThatThrownBy(() -> verify(valid, SUBJECT, foreign))
        .hasMessageContaining("does not verify with any key");
    TrustedRoot foreignLog =
        TrustedRoot.read(dir("dsse-statement-missing-type_fail").resolve("trusted_root.json"));
    assertThatThrownBy(() -> keyed(key).verify(bundle(valid), SUBJECT, () -> null, foreignLog,
            Instant.now(), OFFLINE))
        .hasMessageContaining("which the trusted root does not hold");
  }

  @Test
  void rekorV2EntriesOfTheFailingCasesVerifyAndRecordTheirSignature() throws Exception {
    // The published failures are about the statement only: their log entries are sound, which
    // exercises the checkpoint-only proof and the hashedrekord 0.0.2 body.
    for (String name : List.of("dsse-statement-missing-type_fail",
        "dsse-statement-unknown-type_fail")) {
      Path dir = dir(name);
      CosignSignature sig = bundle(dir);
      PublicKey key = PublicKeys.read(dir.resolve("key.pub"));
      TlogEntry entry = sig.tlogEntries().get(0);
      TlogEntry.Verified v = entry.verify(TrustedRoot.read(dir.resolve("trusted_root.json")));
      assertThat(v.integratedTime()).as("no signed entry timestamp in a Rekor v2 entry").isNull();
      byte[] pae = ((SignedContent.Dsse) sig.content()).preAuthenticationEncoding();
      CosignTrustPolicy.bindBody(entry.body(), sig, pae, key);
      PublicKey other = PublicKeys.read(dir("intoto-canonical-log-entry").resolve("key.pub"));
      assertThatThrownBy(() -> CosignTrustPolicy.bindBody(entry.body(), sig, pae, other))
          .hasMessageContaining("does not record this signature");
    }
  }
}
