package dev.signet.cli;

import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.Manifest;
import dev.signet.oci.ManifestFormatException;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code signet referrer show-manifest|show-blob}: the raw bytes of a referrer's manifest or of one
 * of its blobs, checked against the digest and size its descriptor gives before they are written.
 */
@Command(
    name = "referrer",
    mixinStandardHelpOptions = true,
    description = "Shows the content of the artifacts that refer to an image.",
    subcommands = {ReferrerCommand.ShowManifest.class, ReferrerCommand.ShowBlob.class})
final class ReferrerCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return Main.subcommandRequired(spec);
  }

  /** What both subcommands take besides the subject. */
  abstract static class Show implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin SubjectOptions options;

    @Option(
        names = {"-d", "--digest"},
        required = true,
        paramLabel = "sha256:<hex>",
        description = "The digest of the content to show.")
    String digest;

    @Option(
        names = "--output-file",
        paramLabel = "FILE",
        description = "Write the bytes to FILE instead of stdout.")
    Path outputFile;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      Digest wanted;
      try {
        wanted = Digest.parse(digest);
      } catch (IllegalArgumentException e) {
        err.println("signet: --digest \"" + digest + "\" is not a digest: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      try (SubjectLookup s = SubjectLookup.open(options, err)) {
        byte[] content;
        try {
          content = fetch(s, wanted);
        } catch (StoreException e) {
          throw new CommandFailure(ExitCodes.FAILED, e.getMessage());
        } catch (DeadlineExceededException e) {
          throw s.timedOut(e);
        }
        if (outputFile != null) {
          try {
            Files.write(outputFile, content);
          } catch (IOException e) {
            throw new CommandFailure(
                ExitCodes.USAGE, "cannot write " + outputFile + ": " + e.getMessage());
          }
        } else {
          Main.writeRaw(spec, content);
        }
        return ExitCodes.VERIFIED;
      } catch (CommandFailure e) {
        err.println("signet: " + e.getMessage());
        return e.exitCode();
      }
    }

    abstract byte[] fetch(SubjectLookup s, Digest wanted)
        throws StoreException, DeadlineExceededException, CommandFailure;
  }

  @Command(
      name = "show-manifest",
      mixinStandardHelpOptions = true,
      description = {
        "Writes the raw bytes of a manifest to stdout: the subject's own, one of its referrers',"
            + " or any manifest of the subject's repository named by digest.",
        "Exit status: 0 written, 1 the subject or the manifest could not be read,"
            + " 2 usage or configuration error."
      })
  static final class ShowManifest extends Show {
    @Override
    byte[] fetch(SubjectLookup s, Digest wanted)
        throws StoreException, DeadlineExceededException, CommandFailure {
      Descriptor descriptor = null;
      if (s.descriptor().digest().equals(wanted)) {
        descriptor = s.descriptor();
      } else {
        for (Descriptor r : s.store().referrers(s.reference(), s.descriptor(), null, s.deadline())) {
          if (r.digest().equals(wanted)) {
            descriptor = r;
            break;
          }
        }
      }
      if (descriptor == null) {
        // Not a referrer: a manifest of the same repository by digest (resolving checks the bytes).
        Reference byDigest = new Reference(s.reference().name(), null, wanted);
        try {
          descriptor = s.store().resolve(byDigest, s.deadline());
        } catch (StoreException e) {
          throw new CommandFailure(
              ExitCodes.FAILED,
              "no manifest "
                  + wanted
                  + " among the referrers of "
                  + s.pinned()
                  + ", and none by that digest in the repository: "
                  + e.getMessage());
        }
      }
      return s.store().fetchManifest(s.reference(), descriptor, s.deadline());
    }
  }

  @Command(
      name = "show-blob",
      mixinStandardHelpOptions = true,
      description = {
        "Writes the raw bytes of a blob to stdout (a signature envelope, an SBOM, ...). The blob must"
            + " be a layer or the config of one of the subject's direct referrers: their manifests"
            + " give its size and media type, which the fetched bytes are checked against.",
        "Exit status: 0 written, 1 the subject or the blob could not be read,"
            + " 2 usage or configuration error."
      })
  static final class ShowBlob extends Show {
    @Override
    byte[] fetch(SubjectLookup s, Digest wanted)
        throws StoreException, DeadlineExceededException, CommandFailure {
      List<String> skipped = new ArrayList<>();
      for (Descriptor r : s.store().referrers(s.reference(), s.descriptor(), null, s.deadline())) {
        Manifest m;
        try {
          m = Manifest.parse(s.store().fetchManifest(s.reference(), r, s.deadline()), r.mediaType());
        } catch (ManifestFormatException e) {
          skipped.add(r.digest() + " (" + e.getMessage() + ")");
          continue;
        }
        List<Descriptor> parts = new ArrayList<>(m.layers());
        if (m.config() != null) {
          parts.add(m.config());
        }
        for (Descriptor part : parts) {
          if (part.digest().equals(wanted)) {
            return s.store().fetchBlob(s.reference(), part, s.deadline());
          }
        }
      }
      throw new CommandFailure(
          ExitCodes.FAILED,
          "no referrer of "
              + s.pinned()
              + " has a layer or config with digest "
              + wanted
              + " (show-blob looks in the manifests of the subject's direct referrers)"
              + (skipped.isEmpty() ? "" : "; unreadable referrers: " + String.join(", ", skipped)));
    }
  }
}
