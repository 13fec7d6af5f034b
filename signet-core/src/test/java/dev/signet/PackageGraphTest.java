package dev.signet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package graph of signet-core's main sources has no cycles: neither between packages nor
 * between top-level packages ({@code oci.layout} and {@code oci.registry} count as {@code oci}),
 * apart from the sub-package edges listed in {@link #ALLOWED_ACROSS}.
 */
class PackageGraphTest {
  /**
   * Sub-package edges that close a cycle only when sub-packages are merged into their top-level
   * package, each with the reason it is allowed. {@code notation -> oci} (media types, descriptors)
   * and {@code oci.registry -> cloud} (cloud registry credentials) are the other two sides.
   */
  static final Set<String> ALLOWED_ACROSS =
      Set.of(
          // Key Vault hands back certificates, read with notation's certificate file reader.
          "cloud.azure -> notation.x509");

  private static final PackageGraph MAIN = PackageGraph.read(Path.of("src", "main", "java"));

  @Test
  void packagesFormNoCycle() {
    assertThat(MAIN.packages()).contains("oci", "oci.layout", "notation.x509", "verify", "cache");
    assertThat(MAIN.cycles()).isEmpty();
  }

  @Test
  void topLevelPackagesFormNoCycleApartFromTheListedEdges() {
    assertThat(MAIN.topLevel(ALLOWED_ACROSS).cycles()).isEmpty();
  }

  @Test
  void everyListedEdgeStillExists() {
    assertThat(MAIN.edges()).containsAll(ALLOWED_ACROSS);
  }

  @Test
  void findsACycleThroughImportsAndQualifiedNames(@TempDir Path root) throws IOException {
    write(root, "a/A.java", "package dev.signet.a;\nimport dev.signet.b.B;\nclass A {}");
    write(root, "b/B.java", "package dev.signet.b;\nclass B { dev.signet.c.C c; }");
    write(root, "c/C.java", "package dev.signet.c;\nimport static dev.signet.a.A.x;\nclass C {}");
    write(root, "d/D.java", "package dev.signet.d;\n// dev.signet.a.A in a comment\nclass D {}");
    PackageGraph graph = PackageGraph.read(root);

    assertThat(graph.edges()).containsExactly("a -> b", "b -> c", "c -> a");
    assertThat(graph.cycles()).containsExactly("[a, b, c] through [a -> b, b -> c, c -> a]");
    assertThat(graph.topLevel(Set.of("c -> a")).cycles()).isEmpty();
  }

  @Test
  void findsACycleBetweenSubPackagesOfDifferentTopLevelPackages(@TempDir Path root)
      throws IOException {
    write(root, "a/x/X.java", "package dev.signet.a.x;\nimport dev.signet.b.Y;\nclass X {}");
    write(root, "b/Y.java", "package dev.signet.b;\nimport dev.signet.a.*;\nclass Y {}");
    PackageGraph graph = PackageGraph.read(root);

    assertThat(graph.cycles()).isEmpty();
    assertThat(graph.topLevel(Set.of()).cycles()).containsExactly("[a, b] through [a -> b, b -> a]");
  }

  private static void write(Path root, String file, String source) throws IOException {
    Path path = root.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, source);
  }
}
