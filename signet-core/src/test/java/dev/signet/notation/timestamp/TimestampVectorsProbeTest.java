package dev.signet.notation.timestamp;

import dev.signet.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TimestampVectorsProbeTest {
  @Test
  void probe() throws Exception {
    X509Certificate r3 = cert("tspclient-go/testdata/GlobalSignRootCA.crt");
    X509Certificate r6 = cert("notation-go/verifier/testdata/truststore/x509/tsa/test-timestamp/globalsignRoot.cer");
    var v = new Rfc3161TimestampVerifier(c -> {});
    for (String dir : List.of("tspclient-go/testdata", "tspclient-go/internal/cms/testdata", "notation-go/verifier/testdata/timestamp/countersignature")) {
      try (Stream<Path> s = Files.list(Vectors.notary(dir))) {
        for (Path p : s.sorted().toList()) {
          if (!p.toString().endsWith(".p7s") && !p.toString().endsWith(".tsq") && !p.toString().endsWith(".tsr")) continue;
          byte[] b = Files.readAllBytes(p);
          for (X509Certificate root : List.of(r3, r6)) {
            String out;
            try {
              var r = v.verify(b, "notation".getBytes(StandardCharsets.UTF_8), () -> List.of(root));
              out = "OK " + r.genTime() + " " + r.accuracy() + " " + r.tsaChain().stream().map(c -> c.getSubjectX500Principal().getName()).toList();
            } catch (TimestampException e) {
              out = "ERR " + e.getMessage();
            }
            System.out.println("PROBE " + dir + "/" + p.getFileName() + " [" + (root == r3 ? "R3" : "R6") + "] " + out);
          }
        }
      }
    }
  }

  static X509Certificate cert(String rel) throws Exception {
    try (var in = Files.newInputStream(Vectors.notary(rel))) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
