package dev.signet.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code docker-registry} (CNCF distribution 2.8.2) run by a test on 127.0.0.1 with a
 * generated config: optional htpasswd basic auth (bcrypt made here) and optional TLS (self-signed
 * certificate for 127.0.0.1 and localhost made here). Stopped by its PID on {@link #close()}.
 *
 * <p>When the binary is missing the test is skipped, or fails when {@code CI=true}: CI must install
 * the Debian package {@code docker-registry}.
 */
public final class DistributionRegistry implements AutoCloseable {
  public static final String USER = "signet-user";
  public static final String PASSWORD = "signet-test-pass";
  private static final java.util.regex.Pattern ACCESS_LINE =
      java.util.regex.Pattern.compile("\"[A-Z]+ \\S+ HTTP/[0-9.]+\" \\d{3} ");

  private final Process process;
  private final int port;
  private final Path dir;
  private final Path caFile;

  private DistributionRegistry(Process process, int port, Path dir, Path caFile) {
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.caFile = caFile;
  }

  /** The binary, from {@code SIGNET_DOCKER_REGISTRY} or {@code /usr/bin/docker-registry}. */
  public static Path binary() {
    String configured = System.getenv("SIGNET_DOCKER_REGISTRY");
    Path bin = Path.of(configured != null && !configured.isBlank() ? configured : "/usr/bin/docker-registry");
    if (!Files.isExecutable(bin)) {
      String message = "the distribution registry binary " + bin + " is missing: install the Debian package"
          + " docker-registry (apt-get install -y --no-install-recommends docker-registry)"
          + " or set SIGNET_DOCKER_REGISTRY";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return bin;
  }

  public static DistributionRegistry start(Path dir, boolean basicAuth, boolean tls) throws Exception {
    Files.createDirectories(dir);
    return start(dir, basicAuth ? "auth: {htpasswd: {realm: signet-test, path: " + dir.resolve("htpasswd") + "}}\n" : "", basicAuth, tls);
  }

  /**
   * A registry with distribution's token authentication: clients are sent to {@code realm} for a
   * JWT issued by {@code issuer} for {@code service}, signed by a key whose certificate (or its
   * issuer) is in {@code rootCertBundle}. The service name is only known once the port is: use
   * {@code %s} in {@code service} for {@code 127.0.0.1:PORT}.
   */
  public static DistributionRegistry startWithTokenAuth(
      Path dir, String realm, String service, String issuer, Path rootCertBundle) throws Exception {
    Files.createDirectories(dir);
    String auth = "auth: {token: {realm: \"" + realm + "\", service: \"" + service + "\", issuer: \""
        + issuer + "\", rootcertbundle: " + rootCertBundle + "}}\n";
    return start(dir, auth, false, false);
  }

  private static DistributionRegistry start(Path dir, String authYaml, boolean basicAuth, boolean tls)
      throws Exception {
    Path bin = binary();
    StringBuilder yaml = new StringBuilder();
    Path caFile = null;
    String tlsPart = "";
    if (tls) {
      caFile = dir.resolve("registry.crt");
      Path key = dir.resolve("registry.key");
      selfSignedCertificate(caFile, key);
      tlsPart = ", tls: {certificate: " + caFile + ", key: " + key + "}";
    }
    if (basicAuth) {
      String hash = OpenBSDBCrypt.generate("2y", PASSWORD.toCharArray(), salt(), 5);
      Files.writeString(dir.resolve("htpasswd"), USER + ":" + hash + "\n");
    }
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = LoopbackProcess.freePort();
      yaml.setLength(0);
      yaml.append("version: 0.1\n")
          .append("log: {level: warn}\n")
          .append("storage: {filesystem: {rootdirectory: ").append(dir.resolve("data")).append("}, delete: {enabled: true}}\n")
          .append("http: {addr: 127.0.0.1:").append(port).append(", secret: signet-test-only").append(tlsPart).append("}\n");
      yaml.append(authYaml.replace("%s", "127.0.0.1:" + port));
      Path config = dir.resolve("config.yml");
      Files.writeString(config, yaml);
      Path log = dir.resolve("registry.log");
      Process p = new ProcessBuilder(bin.toString(), "serve", config.toString())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      if (LoopbackProcess.waitListening(p, port)) {
        return new DistributionRegistry(p, port, dir, caFile);
      }
      LoopbackProcess.stop(p);
      last = new IOException("docker-registry did not start on 127.0.0.1:" + port + "; log:\n"
          + LoopbackProcess.tail(log));
    }
    fail(last.getMessage());
    return null;
  }

  public String host() {
    return "127.0.0.1:" + port;
  }

  public Path caFile() {
    return caFile;
  }

  public long pid() {
    return process.pid();
  }

  /** A Docker config.json with basic credentials for this registry. */
  public Path dockerConfig(String user, String password) throws IOException {
    String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Path p = dir.resolve("docker-config-" + user + ".json");
    Files.writeString(p, "{\"auths\":{\"" + host() + "\":{\"auth\":\"" + auth + "\"}}}");
    return p;
  }

  /**
   * The registry's access log so far: one line per HTTP request it answered, in the combined log
   * format ({@code 127.0.0.1 - - [time] "GET /v2/... HTTP/1.1" 200 ...}).
   */
  public List<String> accessLog() throws IOException {
    return Files.readAllLines(dir.resolve("registry.log")).stream()
        .filter(l -> ACCESS_LINE.matcher(l).find())
        .toList();
  }

  @Override
  public void close() {
    LoopbackProcess.stop(process);
  }

  private static byte[] salt() {
    byte[] s = new byte[16];
    new SecureRandom().nextBytes(s);
    return s;
  }

  private static void selfSignedCertificate(Path certFile, Path keyFile) throws Exception {
    KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
    kpg.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = kpg.generateKeyPair();
    byte[] der = TestTls.selfSigned(kp, "CN=localhost,O=Signet test registry", "SHA256withECDSA", true).getEncoded();
    Files.writeString(certFile, TestTls.pem("CERTIFICATE", der));
    Files.writeString(keyFile, TestTls.pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
  }
}
