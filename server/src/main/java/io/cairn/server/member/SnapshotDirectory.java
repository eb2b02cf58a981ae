package io.cairn.server.member;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The member's snapshot directory, {@code <data-dir>/member/snap}. A raft snapshot's content is a
 * RocksDB checkpoint of the whole MVCC store; this directory holds those checkpoints while they
 * travel, and the marker that makes installing one crash-safe:
 * <ul>
 *   <li>{@code partial-<term>-<index>-<n>}: a checkpoint still being received from the leader;
 *   <li>{@code incoming-<term>-<index>}: a checkpoint received completely and fsynced, waiting for
 *       raft to accept the snapshot (term, index) it belongs to;
 *   <li>{@code outgoing-<peer>-<n>}: a checkpoint of this member's store being sent to a follower;
 *   <li>{@code install-marker}: an install in progress (see {@link SnapshotInstaller}).
 * </ul>
 *
 * <p>Why stateless: the directory itself is the record, so the peer transport (which stages what it
 * receives) and the raft loop (which installs it) each use their own instance, and a restart finds
 * exactly what a crash left.
 */
public final class SnapshotDirectory {
  private static final String MARKER = "install-marker";
  private static final Pattern INCOMING = Pattern.compile("incoming-(\\d+)-(\\d+)");
  /** Makes names of partial and outgoing checkpoints unique within this process. */
  private static final AtomicLong SEQUENCE = new AtomicLong();

  /** An install that was started: the snapshot's raft position and the staged checkpoint's name. */
  public record InstallMarker(long term, long index, String stagedName) {
    String encode() {
      return term + " " + index + " " + stagedName + "\n";
    }

    static InstallMarker decode(String text) {
      String[] parts = text.trim().split(" ");
      if (parts.length != 3 || !INCOMING.matcher(parts[2]).matches()) {
        throw new IllegalStateException("snapshot install marker is unreadable: '" + text.trim() + "'");
      }
      return new InstallMarker(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]);
    }
  }

  private final Path dir;

  public SnapshotDirectory(Path dir) {
    this.dir = dir;
  }

  /** The snapshot directory of the member whose {@code --data-dir} is {@code dataDir}. */
  public static SnapshotDirectory of(Path dataDir) {
    return new SnapshotDirectory(dataDir.resolve("member").resolve("snap"));
  }

  public Path path() {
    return dir;
  }

  /** A new, empty directory to receive the checkpoint of snapshot (term, index) into. */
  public Path newPartial(long term, long index) {
    Path partial = dir.resolve("partial-" + term + "-" + index + "-" + SEQUENCE.incrementAndGet());
    try {
      Files.createDirectories(partial);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + partial, e);
    }
    return partial;
  }

  /** A path (not created: RocksDB creates it) for a checkpoint to send to {@code peer}. */
  public Path newOutgoing(long peer) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    return dir.resolve("outgoing-" + Long.toUnsignedString(peer, 16) + "-" + SEQUENCE.incrementAndGet());
  }

  /**
   * Makes a completely received checkpoint durable and visible as the content of snapshot
   * (term, index): its files and directory are fsynced, then it is renamed atomically. If that
   * snapshot was already staged (a resend), the new copy is dropped and the staged one kept.
   *
   * @return the staged directory
   */
  public Path stage(Path partial, long term, long index) throws IOException {
    try (Stream<Path> files = Files.list(partial)) {
      for (Path file : files.toList()) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
      }
    }
    fsyncDirectory(partial);
    Path staged = incoming(term, index);
    if (Files.isDirectory(staged)) {
      deleteTree(partial);
      return staged;
    }
    Files.move(partial, staged, StandardCopyOption.ATOMIC_MOVE);
    fsyncDirectory(dir);
    return staged;
  }

  /** The staged checkpoint of snapshot (term, index), or null if none was received. */
  public Path staged(long term, long index) {
    Path staged = incoming(term, index);
    return Files.isDirectory(staged) ? staged : null;
  }

  private Path incoming(long term, long index) {
    return dir.resolve("incoming-" + term + "-" + index);
  }

  /** Durably records an install in progress (written aside, fsynced, renamed into place). */
  void writeMarker(InstallMarker marker) {
    Path tmp = dir.resolve(MARKER + ".tmp");
    try {
      Files.createDirectories(dir);
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        channel.write(ByteBuffer.wrap(marker.encode().getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
      }
      Files.move(tmp, dir.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      fsyncDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the snapshot install marker in " + dir, e);
    }
  }

  /** The install a crash interrupted, if any. */
  Optional<InstallMarker> readMarker() {
    try {
      return Optional.of(InstallMarker.decode(Files.readString(dir.resolve(MARKER), StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the snapshot install marker in " + dir, e);
    }
  }

  void clearMarker() {
    try {
      if (Files.deleteIfExists(dir.resolve(MARKER))) {
        fsyncDirectory(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the snapshot install marker in " + dir, e);
    }
  }

  /** Deletes staged checkpoints of snapshots at or below {@code index} (installed or superseded). */
  void deleteStagedUpTo(long index) {
    for (Path staged : children()) {
      Matcher m = INCOMING.matcher(staged.getFileName().toString());
      if (m.matches() && Long.parseLong(m.group(2)) <= index) {
        deleteTree(staged);
      }
    }
  }

  /**
   * Deletes whatever an earlier run of the member left (partial, outgoing and staged checkpoints),
   * except the checkpoint named {@code keep} (null: none). Only for startup, before any transfer.
   */
  void deleteLeftovers(String keep) {
    for (Path child : children()) {
      String name = child.getFileName().toString();
      if (Files.isDirectory(child) && !name.equals(keep)) {
        deleteTree(child);
      }
    }
  }

  private List<Path> children() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(dir)) {
      return new ArrayList<>(children.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Deletes a directory tree if it exists. */
  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  private static void fsyncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
