package dev.signet.engine;

// RFC 5280 §5: CRLs signed by the certificate's issuer, served over plain HTTP.

import com.sun.net.httpserver.HttpServer;
import dev.signet.testkit.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CRL distribution point on 127.0.0.1 (ephemeral port) for tests; {@link #close()} stops it.
 * Public so the command-line module's tests can use it through the core test-jar.
 */
public final class TestCrlServer implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, byte[]> crls = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();

  public TestCrlServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          byte[] body = crls.get(exchange.getRequestURI().getPath());
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.getResponseHeaders().add("Content-Type", "application/pkix-crl");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
  }

  /** The URL of {@code path} (which starts with a slash) on this server. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Serves {@code der} at {@code path}. */
  public void serve(String path, byte[] der) {
    crls.put(path, der.clone());
  }

  /** How many requests the server has answered. */
  public int requests() {
    return requests.get();
  }

  /**
   * A DER CRL from {@code issuer}, valid from an hour ago until a day from now, listing {@code
   * revoked} (reason keyCompromise, revoked a day ago).
   */
  public static byte[] crl(TestPki.Issued issuer, BigInteger... revoked) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    try {
      X509v2CRLBuilder b =
          new X509v2CRLBuilder(
              X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
              Date.from(now.minus(1, ChronoUnit.HOURS)));
      b.setNextUpdate(Date.from(now.plus(1, ChronoUnit.DAYS)));
      for (BigInteger serial : revoked) {
        b.addCRLEntry(serial, Date.from(now.minus(1, ChronoUnit.DAYS)), CRLReason.keyCompromise);
      }
      String alg =
          issuer.privateKey().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      return b.build(new JcaContentSignerBuilder(alg).build(issuer.privateKey())).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException("could not build the test CRL", e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
