package dev.signet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The dependencies between the {@code dev.signet} packages of one source tree, read from the
 * sources: every {@code dev.signet...} name in the code (imports, static imports, wildcard imports
 * and fully qualified names) outside comments is an edge from the file's package to the named
 * package. Names are shortened to the part under {@code dev.signet} ({@code oci.layout}).
 */
public final class PackageGraph {
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
  /** A package name (lower-case segments) followed by a type name or {@code *}. */
  private static final Pattern REFERENCE =
      Pattern.compile("\\bdev\\.signet((?:\\.[a-z_][\\w]*)+)\\.(?:[A-Z]|\\*)");
  private static final Pattern COMMENT = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");

  private final Map<String, Set<String>> edges;

  private PackageGraph(Map<String, Set<String>> edges) {
    this.edges = edges;
  }

  /** Reads every {@code .java} file under a source root such as {@code src/main/java}. */
  public static PackageGraph read(Path sourceRoot) {
    if (!Files.isDirectory(sourceRoot)) {
      throw new IllegalStateException(sourceRoot.toAbsolutePath() + " is not a source directory");
    }
    Map<String, Set<String>> edges = new TreeMap<>();
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String source = COMMENT.matcher(Files.readString(file)).replaceAll(" ");
        Matcher declared = PACKAGE.matcher(source);
        if (!declared.find()) {
          continue; // package-info without a package, module-info
        }
        String from = shorten(declared.group(1));
        Set<String> targets = edges.computeIfAbsent(from, k -> new TreeSet<>());
        Matcher reference = REFERENCE.matcher(source);
        while (reference.find()) {
          String to = reference.group(1).substring(1);
          if (!to.equals(from)) {
            targets.add(to);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new PackageGraph(edges);
  }

  private static String shorten(String javaPackage) {
    return javaPackage.equals("dev.signet") ? "" : javaPackage.replaceFirst("^dev\\.signet\\.", "");
  }

  /** The packages declared in the sources. */
  public Set<String> packages() {
    return edges.keySet();
  }

  /** Every edge {@code from -> to}, in order. */
  public Set<String> edges() {
    Set<String> all = new TreeSet<>();
    edges.forEach((from, targets) -> targets.forEach(to -> all.add(from + " -> " + to)));
    return all;
  }

  /**
   * The graph of top-level packages ({@code oci.layout} counts as {@code oci}), leaving out the
   * edges given as {@code "from -> to"} between full package names.
   */
  public PackageGraph topLevel(Set<String> excludedEdges) {
    Map<String, Set<String>> collapsed = new TreeMap<>();
    edges.forEach(
        (from, targets) -> {
          Set<String> into = collapsed.computeIfAbsent(top(from), k -> new TreeSet<>());
          for (String to : targets) {
            if (!excludedEdges.contains(from + " -> " + to) && !top(to).equals(top(from))) {
              into.add(top(to));
            }
          }
        });
    return new PackageGraph(collapsed);
  }

  private static String top(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  /**
   * The cycles, each as the edges that close it (strongly connected components of more than one
   * package, Tarjan's algorithm); empty when the graph is acyclic.
   */
  public List<String> cycles() {
    List<String> cycles = new ArrayList<>();
    for (Set<String> component : components()) {
      List<String> inside = new ArrayList<>();
      for (String from : component) {
        for (String to : edges.getOrDefault(from, Set.of())) {
          if (component.contains(to)) {
            inside.add(from + " -> " + to);
          }
        }
      }
      cycles.add(component + " through " + inside);
    }
    return cycles;
  }

  private List<Set<String>> components() {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    List<Set<String>> found = new ArrayList<>();
    for (String start : edges.keySet()) {
      if (!index.containsKey(start)) {
        connect(start, index, low, stack, found);
      }
    }
    return found;
  }

  private void connect(
      String node,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      List<Set<String>> found) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.push(node);
    for (String next : edges.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        connect(next, index, low, stack, found);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (stack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      Set<String> component = new TreeSet<>();
      String member;
      do {
        member = stack.pop();
        component.add(member);
      } while (!member.equals(node));
      if (component.size() > 1) {
        found.add(component);
      }
    }
  }
}
