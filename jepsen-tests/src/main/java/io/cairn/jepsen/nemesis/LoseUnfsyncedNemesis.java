package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.DbKind;
import io.cairn.jepsen.cluster.MemberProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A power loss: kill -9 of every member, and each member's WAL cut back to what its last fsync made
 * durable, as if the page cache had been lost. Then every member but the one with the most durable
 * log restarts (with a correct server that member is only ahead by entries nobody acknowledged); it
 * restarts when the fault heals, so the others must elect among themselves from what they had actually
 * persisted.
 *
 * <p>How far the WAL is durable is only known to the server: Cairn writes it to
 * {@code <data-dir>/member/wal/synced-tail.planted-bug} when started with the test-only fault hooks
 * (module server-faults on its class path) and
 * {@code CAIRN_TEST_PLANTED_BUG=ack-before-fsync}. Without that file (a correct Cairn, or etcd) the
 * nemesis is a kill -9 of all members with the WAL left whole.
 */
public final class LoseUnfsyncedNemesis implements Nemesis {

  /** Must match io.cairn.server.faults.planted.PlantedBugHooks.SYNCED_TAIL_FILE (this module does not depend on the server). */
  static final String SYNCED_TAIL_FILE = "synced-tail.planted-bug";

  private final Cluster cluster;

  public LoseUnfsyncedNemesis(Cluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public String name() {
    return "lose-unfsynced";
  }

  @Override
  public String inject(SplittableRandom random) {
    cluster.members().forEach(MemberProcess::kill);
    List<String> cuts = new ArrayList<>();
    int longest = 1 + random.nextInt(cluster.size());
    long longestSynced = -1;
    for (int i = 1; i <= cluster.size(); i++) {
      Cut cut = cutToSynced(cluster.dataDir(i).resolve("member").resolve("wal"));
      cuts.add(cluster.member(i).spec().name() + ": " + cut.description());
      if (cut.synced() > longestSynced) {
        longestSynced = cut.synced();
        longest = i;
      }
    }
    for (int i = 1; i <= cluster.size(); i++) {
      if (i != longest) {
        cluster.member(i).start();
      }
    }
    return "kill -9 all, WAL cut to last fsync " + cuts + "; " + cluster.member(longest).spec().name()
        + " (most durable log) down until heal";
  }

  /** What the cut left: the durable offset of the active segment (-1 when unknown) and a description. */
  private record Cut(long synced, String description) {}

  private Cut cutToSynced(Path walDir) {
    if (cluster.kind() != DbKind.CAIRN) {
      return new Cut(-1, "not Cairn, WAL kept");
    }
    Path tailFile = walDir.resolve(SYNCED_TAIL_FILE);
    try {
      if (!Files.exists(tailFile)) {
        return new Cut(-1, "no " + SYNCED_TAIL_FILE + ", WAL kept");
      }
      String[] parts = Files.readString(tailFile).strip().split(" ");
      Path segment = walDir.resolve(parts[0]);
      long synced = Long.parseLong(parts[1]);
      // Records go in order, so the unsynced tail is everything after the synced offset (the segment is
      // preallocated: past the last record it holds zeros, and recovery restores its size).
      long size;
      try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
        size = ch.size();
        if (size > synced) {
          ch.truncate(synced);
        }
      }
      return new Cut(synced, segment.getFileName() + " cut at byte " + synced + " (file was " + size + " bytes)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cut the WAL in " + walDir, e);
    }
  }

  @Override
  public void heal() {
    cluster.members().forEach(MemberProcess::start);
  }
}
