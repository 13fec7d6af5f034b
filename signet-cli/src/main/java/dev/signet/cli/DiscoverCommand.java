package dev.signet.cli;

import dev.signet.deadline.DeadlineExceededException;
import dev.signet.json.StrictJson;
import dev.signet.oci.Descriptor;
import dev.signet.oci.StoreException;
import dev.signet.oci.registry.ReferrerNode;
import dev.signet.oci.registry.RegistryStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code signet discover}: the referrer tree of a subject (signatures, SBOMs, and what refers to
 * them). Registries are walked to {@code --depth} levels; other stores list the direct referrers.
 */
@Command(
    name = "discover",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the artifacts that refer to the image (signatures, SBOMs, ...) as a tree; with"
          + " -o json, the subject's descriptor with its \"referrers\", nested.",
      "Exit status: 0 listed, 1 the subject or its referrers could not be read,"
          + " 2 usage or configuration error."
    })
final class DiscoverCommand implements Callable<Integer> {
  static final int MAX_DEPTH = 16;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin SubjectOptions options;

  @Mixin OutputFormat output;

  @Option(
      names = "--depth",
      defaultValue = "4",
      paramLabel = "N",
      description = "How many levels of referrers to follow in a registry (1 to 16, default 4).")
  int depth;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (depth < 1 || depth > MAX_DEPTH) {
      err.println("signet: --depth must be between 1 and " + MAX_DEPTH + ", found " + depth);
      return ExitCodes.USAGE;
    }
    try (SubjectLookup s = SubjectLookup.open(options, err)) {
      List<ReferrerNode> tree;
      try {
        tree = tree(s);
      } catch (StoreException e) {
        throw new CommandFailure(
            ExitCodes.FAILED, "could not list the referrers of " + s.pinned() + ": " + e.getMessage());
      } catch (DeadlineExceededException e) {
        throw s.timedOut(e);
      }
      if (output.json()) {
        Map<String, Object> json = s.json();
        json.put("referrers", json(tree));
        out.println(StrictJson.MAPPER.writeValueAsString(json));
      } else {
        out.println(s.pinned());
        printTree(out, tree, "");
      }
      out.flush();
      return ExitCodes.VERIFIED;
    } catch (CommandFailure e) {
      err.println("signet: " + e.getMessage());
      return e.exitCode();
    }
  }

  private List<ReferrerNode> tree(SubjectLookup s)
      throws StoreException, DeadlineExceededException {
    if (s.store() instanceof RegistryStore registry) {
      return registry.referrerTree(s.reference(), s.descriptor(), depth, s.deadline());
    }
    List<ReferrerNode> direct = new ArrayList<>();
    for (Descriptor d : s.store().referrers(s.reference(), s.descriptor(), null, s.deadline())) {
      direct.add(new ReferrerNode(d, List.of()));
    }
    return direct;
  }

  // ASCII connectors, so that the tree reads the same in any terminal encoding.
  private static void printTree(PrintWriter out, List<ReferrerNode> nodes, String indent) {
    for (int i = 0; i < nodes.size(); i++) {
      boolean last = i == nodes.size() - 1;
      ReferrerNode n = nodes.get(i);
      Descriptor d = n.descriptor();
      String type = d.artifactType() != null ? d.artifactType() : "(no artifactType; " + d.mediaType() + ")";
      out.println(indent + (last ? "`-- " : "|-- ") + type + "  " + d.digest());
      printTree(out, n.referrers(), indent + (last ? "    " : "|   "));
    }
  }

  private static List<Map<String, Object>> json(List<ReferrerNode> nodes) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (ReferrerNode n : nodes) {
      Descriptor d = n.descriptor();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mediaType", d.mediaType());
      m.put("digest", d.digest().toString());
      m.put("size", d.size());
      m.put("artifactType", d.artifactType());
      if (!d.annotations().isEmpty()) {
        m.put("annotations", d.annotations());
      }
      m.put("referrers", json(n.referrers()));
      list.add(m);
    }
    return list;
  }
}
