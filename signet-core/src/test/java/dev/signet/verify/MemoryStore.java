package dev.signet.verify;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory store for executor tests: content by digest, tags, referrers in insertion order,
 * request counts per operation, and scripted slowness (a sleep that ignores the deadline) and
 * failures per operation.
 */
final class MemoryStore implements ReferrerStore {
  enum Op {
    RESOLVE,
    REFERRERS,
    MANIFEST,
    BLOB
  }

  static final String EMPTY_CONFIG =
      "{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\""
          + Digest.sha256("{}".getBytes(StandardCharsets.UTF_8))
          + "\",\"size\":2}";

  private final Map<Digest, byte[]> content = new ConcurrentHashMap<>();
  private final Map<Digest, Descriptor> manifests = new ConcurrentHashMap<>();
  private final Map<String, Digest> tags = new ConcurrentHashMap<>();
  private final Map<Digest, List<Descriptor>> referrers = new ConcurrentHashMap<>();
  private final Map<Op, AtomicInteger> counts = new ConcurrentHashMap<>();
  /** Operations that sleep this long (ignoring the deadline) before answering. */
  final Map<Op, Long> slow = new ConcurrentHashMap<>();
  /** Operations that fail with a StoreException. */
  final Map<Op, String> failing = new ConcurrentHashMap<>();
  final AtomicInteger interrupted = new AtomicInteger();

  int count(Op op) {
    return counts.computeIfAbsent(op, k -> new AtomicInteger()).get();
  }

  int total() {
    return counts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private void enter(Op op) throws StoreException {
    counts.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
    Long ms = slow.get(op);
    if (ms != null) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted");
      }
    }
    String failure = failing.get(op);
    if (failure != null) {
      throw new StoreException(failure);
    }
  }

  // ------------------------------------------------------------------ content

  Descriptor blob(byte[] bytes, String mediaType) {
    Digest d = Digest.sha256(bytes);
    content.put(d, bytes);
    return new Descriptor(mediaType, d, bytes.length);
  }

  /** An image manifest, tagged when {@code tag} is not null. */
  Descriptor image(String name, String tag) {
    Descriptor layer = blob(("layer of " + name).getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.layer.v1.tar");
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + EMPTY_CONFIG
            + ",\"layers\":[" + json(layer) + "],\"annotations\":{\"name\":\"" + name + "\"}}";
    Descriptor d = manifest(json, null);
    if (tag != null) {
      tags.put(tag, d.digest());
    }
    return d;
  }

  /** A referrer of {@code subject} with one layer, listed after the ones before it. */
  Descriptor referrer(Descriptor subject, String artifactType, byte[] layerBytes, String layerMediaType) {
    Descriptor layer = blob(layerBytes, layerMediaType);
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\""
            + artifactType + "\",\"config\":" + EMPTY_CONFIG + ",\"layers\":[" + json(layer)
            + "],\"subject\":" + json(subject) + "}";
    Descriptor d = manifest(json, artifactType);
    referrers.computeIfAbsent(subject.digest(), k -> new CopyOnWriteArrayList<>()).add(d);
    return d;
  }

  Descriptor signature(Descriptor subject, byte[] envelope) {
    return referrer(subject, MediaTypes.NOTARY_SIGNATURE, envelope, MediaTypes.JWS_ENVELOPE);
  }

  private Descriptor manifest(String json, String artifactType) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.sha256(bytes);
    content.put(d, bytes);
    Descriptor desc = new Descriptor(MediaTypes.OCI_MANIFEST, d, bytes.length, artifactType, Map.of());
    manifests.put(d, desc);
    return desc;
  }

  static String json(Descriptor d) {
    return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
  }

  // ------------------------------------------------------------------ ReferrerStore

  @Override
  public Descriptor resolve(Reference reference, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    enter(Op.RESOLVE);
    Digest d = reference.digest() != null ? reference.digest() : tags.get(reference.tag());
    Descriptor desc = d == null ? null : manifests.get(d);
    if (desc == null) {
      throw new StoreException("manifest unknown: " + reference);
    }
    return new Descriptor(desc.mediaType(), desc.digest(), desc.size());
  }

  @Override
  public List<Descriptor> referrers(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    enter(Op.REFERRERS);
    return new ArrayList<>(referrers.getOrDefault(subject.digest(), List.of()));
  }

  @Override
  public byte[] fetchManifest(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    enter(Op.MANIFEST);
    return fetch(descriptor);
  }

  @Override
  public byte[] fetchBlob(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    enter(Op.BLOB);
    return fetch(descriptor);
  }

  private byte[] fetch(Descriptor descriptor) throws StoreException {
    byte[] b = content.get(descriptor.digest());
    if (b == null) {
      throw new StoreException("not found: " + descriptor.digest());
    }
    return b.clone();
  }
}
