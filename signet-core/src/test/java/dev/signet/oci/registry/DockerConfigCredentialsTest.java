package dev.signet.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.oci.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigCredentialsTest {
  @TempDir Path dir;

  Path config(String json) throws Exception {
    Path p = dir.resolve("config.json");
    Files.writeString(p, json);
    return p;
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsAuthsByHostWhateverTheKeyStyle() throws Exception {
    Path p = config("{\"auths\":{"
        + "\"https://registry.example:5000/v2/\":{\"auth\":\"" + b64("bob:pa:ss") + "\"},"
        + "\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hub:hubpass") + "\"},"
        + "\"token.example\":{\"auth\":\"" + b64("00000000-0000-0000-0000-000000000000:") + "\",\"identitytoken\":\"id-tok\"}}}");
    DockerConfigCredentials creds = DockerConfigCredentials.of(p, Clock.systemUTC());
    assertThat(creds.credentialFor("registry.example:5000")).isEqualTo(new Credential.Basic("bob", "pa:ss"));
    assertThat(creds.credentialFor("docker.io")).isEqualTo(new Credential.Basic("hub", "hubpass"));
    assertThat(creds.credentialFor("token.example")).isEqualTo(new Credential.IdentityToken("id-tok"));
    assertThat(creds.credentialFor("elsewhere.example")).isEqualTo(Credential.ANONYMOUS);
  }

  @Test
  void aMissingFileMeansAnonymous() throws Exception {
    assertThat(DockerConfigCredentials.of(dir.resolve("none.json"), Clock.systemUTC()).credentialFor("x.example"))
        .isEqualTo(Credential.ANONYMOUS);
  }

  @Test
  void badEntriesAreReportedWithoutTheirContent() throws Exception {
    Path p = config("{\"auths\":{\"r.example\":{\"auth\":\"not base64 !!secret\"}}}");
    assertThatThrownBy(() -> DockerConfigCredentials.of(p, Clock.systemUTC()).credentialFor("r.example"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("not valid base64")
        .hasMessageNotContaining("secret");
    Path q = config("{\"auths\":{\"r.example\":{\"auth\":1}}}");
    assertThatThrownBy(() -> DockerConfigCredentials.of(q, Clock.systemUTC()).credentialFor("r.example"))
        .hasMessageContaining("must be a string");
  }

  Path helper(String name, String script) throws Exception {
    Path bin = dir.resolve("bin");
    Files.createDirectories(bin);
    Path h = bin.resolve("docker-credential-" + name);
    Files.writeString(h, "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(h, PosixFilePermissions.fromString("rwx------"));
    return bin;
  }

  @Test
  void asksCredentialHelpersWithTheServerOnStdin() throws Exception {
    Path bin = helper("fake",
        "read server\n"
            + "case \"$server\" in\n"
            + "  helped.example) echo '{\"ServerURL\":\"helped.example\",\"Username\":\"carol\",\"Secret\":\"c-secret\"}' ;;\n"
            + "  tok.example) echo '{\"ServerURL\":\"tok.example\",\"Username\":\"<token>\",\"Secret\":\"refresh-1\"}' ;;\n"
            + "  https://index.docker.io/v1/) echo '{\"Username\":\"hub\",\"Secret\":\"h\"}' ;;\n"
            + "  *) echo 'credentials not found in native keychain'; exit 1 ;;\n"
            + "esac\n");
    Path p = config("{\"credsStore\":\"fake\",\"credHelpers\":{\"other.example\":\"broken\"},"
        + "\"auths\":{\"helped.example\":{}}}");
    DockerConfigCredentials creds = new DockerConfigCredentials(p, bin, Clock.systemUTC());
    assertThat(creds.credentialFor("helped.example")).isEqualTo(new Credential.Basic("carol", "c-secret"));
    assertThat(creds.credentialFor("tok.example")).isEqualTo(new Credential.IdentityToken("refresh-1"));
    assertThat(creds.credentialFor("docker.io")).isEqualTo(new Credential.Basic("hub", "h"));
    assertThat(creds.credentialFor("unknown.example")).isEqualTo(Credential.ANONYMOUS);
    assertThatThrownBy(() -> creds.credentialFor("other.example"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("docker-credential-broken");
  }

  @Test
  void aFailingHelperIsAnErrorThatHidesItsOutput() throws Exception {
    Path bin = helper("leaky", "echo 'oops password=hunter2'; exit 3\n");
    Path p = config("{\"credHelpers\":{\"r.example\":\"leaky\"}}");
    assertThatThrownBy(() -> new DockerConfigCredentials(p, bin, Clock.systemUTC()).credentialFor("r.example"))
        .hasMessageContaining("exit status 3")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void credentialsNeverPrintTheirSecrets() {
    assertThat(new Credential.Basic("u", "pw-123").toString()).doesNotContain("pw-123").contains("redacted");
    assertThat(new Credential.IdentityToken("tok-456").toString()).doesNotContain("tok-456");
  }
}
