package dev.signet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cli.demo.DemoCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code signet demo --kubernetes} on the mock API server: trust changes through a resource. */
class KubernetesDemoTest {
  @TempDir Path dir;

  @Test
  void editing_the_key_management_provider_changes_the_next_decisions() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new DemoCommand());
    cli.setOut(new PrintWriter(out));
    int code = cli.execute("--kubernetes", "--dir", dir.toString());
    String text = out.toString();
    System.out.println(text);

    assertThat(code).as(text).isZero();
    assertThat(text).contains("keymanagementprovider.config.ratify.deislabs.io/demo-ca created")
        .contains("keymanagementprovider.config.ratify.deislabs.io/demo-ca edited")
        .contains("issuccess=true")
        .contains("demo passed");
    // The answers before and after the edit, as printed.
    int edit = text.indexOf("$ kubectl edit kmp");
    assertThat(text.substring(0, edit))
        .contains("demo.signet.local/app-a:v1 isSuccess=true").contains("demo.signet.local/app-b:v1 isSuccess=false");
    assertThat(text.substring(edit))
        .contains("demo.signet.local/app-a:v1 isSuccess=false").contains("demo.signet.local/app-b:v1 isSuccess=true");
  }
}
