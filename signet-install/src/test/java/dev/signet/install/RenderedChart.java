package dev.signet.install;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The objects {@code helm template} renders from charts/signet, run in process by helm-java. */
record RenderedChart(String yaml, List<JsonNode> objects) {
  static final String RELEASE = "ratify";
  static final String NAMESPACE = "gatekeeper-system";
  /** What the chart's name and the release name give: {@code <release>-signet}. */
  static final String FULLNAME = RELEASE + "-signet";

  private static final YAMLMapper YAML = new YAMLMapper();

  static Path repository() {
    String root = System.getenv("SIGNET_REPO_ROOT");
    return (root == null ? Path.of("..") : Path.of(root)).toAbsolutePath().normalize();
  }

  static Path chart() {
    return repository().resolve("charts/signet");
  }

  /**
   * Renders the chart with {@code --set} pairs (written as on a command line, commas escaped) and
   * an optional values file (what {@code --set-file} gives).
   */
  static RenderedChart render(Map<String, String> set, Path valuesFile) {
    TemplateCommand template =
        new Helm(chart()).template().withName(RELEASE).withNamespace(NAMESPACE);
    set.forEach(template::set);
    if (valuesFile != null) {
      template.withValuesFile(valuesFile);
    }
    return parse(template.call());
  }

  static RenderedChart parse(String yaml) {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && doc.isObject() && doc.has("kind")) {
          objects.add(doc);
        }
      }
    }
    return new RenderedChart(yaml, List.copyOf(objects));
  }

  JsonNode get(String kind, String name) {
    return find(kind, name)
        .orElseThrow(() -> new NoSuchElementException(kind + " " + name + " not rendered:\n" + kinds()));
  }

  java.util.Optional<JsonNode> find(String kind, String name) {
    return objects.stream()
        .filter(o -> o.path("kind").asString().equals(kind))
        .filter(o -> o.path("metadata").path("name").asString().equals(name))
        .findFirst();
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> o.path("kind").asString().equals(kind)).toList();
  }

  List<String> kinds() {
    return objects.stream()
        .map(o -> o.path("kind").asString() + "/" + o.path("metadata").path("name").asString())
        .toList();
  }
}
