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
 * durable, as if the page cache had been lost. Then every member but the old leader restarts; the old
 * leader restarts when the fault heals, so the others must elect among themselves from what they had
 * actually persisted.
 *
 * <p>How far the WAL is durable is only known to the server: Cairn writes it to
 * {@code <data-dir>/member/wal/synced-tail.planted-bug} when started with the test-only switch
 * {@code CAIRN_TEST_PLANTED_BUG=ack-before-fsync}. Without that file (a correct Cairn, or etcd) the
 * nemesis is a kill -9 of all members with the WAL left whole.
 */
public final class LoseUnfsyncedNemesis implements Nemesis {

  /** Must match io.cairn.server.testing.PlantedBug.SYNCED_TAIL_FILE (the module cannot depend on server). */
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
    int leader = cluster.leader().orElse(1 + random.nextInt(cluster.size()));
    cluster.members().forEach(MemberProcess::kill);
    List<String> cuts = new ArrayList<>();
    for (int i = 1; i <= cluster.size(); i++) {
      cuts.add(cluster.member(i).spec().name() + ": " + cutToSynced(cluster.dataDir(i).resolve("member").resolve("wal")));
    }
    for (int i = 1; i <= cluster.size(); i++) {
      if (i != leader) {
        cluster.member(i).start();
      }
    }
    return "kill -9 all, WAL cut to last fsync " + cuts + "; old leader " + cluster.member(leader).spec().name() + " down until heal";
  }

  private String cutToSynced(Path walDir) {
    if (cluster.kind() != DbKind.CAIRN) {
      return "not Cairn, WAL kept";
    }
    Path tailFile = walDir.resolve(SYNCED_TAIL_FILE);
    try {
      if (!Files.exists(tailFile)) {
        return "no " + SYNCED_TAIL_FILE + ", WAL kept";
      }
      String[] parts = Files.readString(tailFile).strip().split(" ");
      Path segment = walDir.resolve(parts[0]);
      long synced = Long.parseLong(parts[1]);
      long lost = 0;
      // Records go in order; the unsynced tail is everything after the synced offset, up to where the
      // last record ends. The segment is preallocated, so the bytes past it are zeros anyway.
      try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
        long size = ch.size();
        if (size > synced) {
          lost = size - synced;
          ch.truncate(synced);
        }
      }
      return segment.getFileName() + " cut at " + synced + " (" + lost + " bytes of file dropped)";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cut the WAL in " + walDir, e);
    }
  }

  @Override
  public void heal() {
    cluster.members().forEach(MemberProcess::start);
  }
}
