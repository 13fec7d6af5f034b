package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.engine.VerificationConfig;
import dev.signet.json.StrictJson;
import dev.signet.testkit.TemporaryHome;
import dev.signet.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * docs/quickstart.md step 3 as written: its configuration, with the certificate where the text puts
 * it, loads without a warning; its timestamp additions load too, and name the TSA directory while it
 * is missing.
 */
@ExtendWith(TemporaryHome.class)
class QuickstartDocTest {
  private static final String SUBJECT_DN = "CN=builder.example.com,O=Notary,L=Seattle,ST=WA,C=US";

  @TempDir Path dir;

  @Test
  void step_three_loads_as_written_and_so_do_its_timestamp_additions() throws Exception {
    List<String> blocks = jsonBlocks();
    assertThat(blocks).hasSize(3);

    Path ca = Files.createDirectories(dir.resolve("certs/ca"));
    Files.write(
        ca.resolve("builder.example.com.crt"),
        TestPki.leaf(SUBJECT_DN).selfSigned().certificate().getEncoded());
    Path config = dir.resolve("config.json");
    Files.writeString(config, blocks.get(0));
    assertThat(load(config).warnings()).isEmpty();

    ObjectNode tree =
        (ObjectNode) StrictJson.parseObject(blocks.get(0).getBytes(StandardCharsets.UTF_8), 1 << 20, "step 3");
    ObjectNode plugin = (ObjectNode) tree.get("verifier").get("plugins").get(0);
    plugin.setAll((ObjectNode) fragment(blocks.get(1)));
    ObjectNode statement = (ObjectNode) plugin.get("trustPolicyDoc").get("trustPolicies").get(0);
    statement.setAll((ObjectNode) fragment(blocks.get(2)));
    Files.writeString(config, StrictJson.MAPPER.writeValueAsString(tree));

    assertThat(load(config).warnings())
        .singleElement()
        .asString()
        .contains("certificate path " + dir.resolve("certs/tsa") + " does not exist");
    Path tsa = Files.createDirectories(dir.resolve("certs/tsa"));
    Files.write(tsa.resolve("tsa-root.cer"), TestPki.root("CN=TSA Root,O=Example,ST=WA,C=US").selfSigned().certificate().getEncoded());
    assertThat(load(config).warnings()).isEmpty();
  }

  private static VerificationConfig load(Path config) throws Exception {
    return VerificationConfig.load(config, VerificationConfig.Runtime.standard(Clock.systemUTC()));
  }

  /** A snippet of keys ({@code "a": ..., "b": ...,}) as an object. */
  private static JsonNode fragment(String keys) throws Exception {
    String body = keys.strip();
    if (body.endsWith(",")) {
      body = body.substring(0, body.length() - 1);
    }
    return StrictJson.parseObject(("{" + body + "}").getBytes(StandardCharsets.UTF_8), 1 << 20, "snippet");
  }

  private static List<String> jsonBlocks() throws Exception {
    String text = Files.readString(repository().resolve("docs/quickstart.md"));
    Matcher m = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL).matcher(text);
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  private static Path repository() {
    String configured = System.getenv("SIGNET_REPO_ROOT");
    Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("docs/quickstart.md"))) {
        return p;
      }
    }
    throw new IllegalStateException("docs/quickstart.md not found above " + start);
  }
}
