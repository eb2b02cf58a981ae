package io.cairn.server.member;

import io.cairn.server.faults.FaultHooks;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.raft.ConfChange;
import io.cairn.raft.ConfChangeType;
import io.cairn.raft.ConfState;
import io.cairn.raft.Entry;
import io.cairn.raft.EntryType;
import io.cairn.raft.HardState;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.ConfChangeContext;
import io.cairn.server.internal.LogRequest;
import io.cairn.server.internal.MemberAttributes;
import io.cairn.storage.wal.Wal;
import io.cairn.storage.wal.WalMetadata;
import io.cairn.storage.wal.WalOptions;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raft log of a member as an older Cairn left it in its data directory: bootstrap conf changes,
 * a client write and a runtime membership change, then a log compaction. The committed segment
 * {@code golden/member-wal-v1} was written by {@link #writeHistory} when entry types were still
 * stored as enum ordinals; a restarted member must read the same entries, of the same types, back.
 */
class MemberLogFormatTest {
  private static final String RESOURCE = "/golden/member-wal-v1";
  private static final String SEGMENT = "0000000000000001-0000000000000001.wal";
  private static final WalMetadata METADATA = new WalMetadata(1, 0xc1c1);
  private static final WalOptions OPTIONS = new WalOptions(4096);

  @TempDir Path dir;

  @Test
  void theHistoryWritesTheCommittedSegment() throws Exception {
    writeHistory(dir);
    assertEquals(HexFormat.of().formatHex(Files.readAllBytes(committed().resolve(SEGMENT))),
        HexFormat.of().formatHex(Files.readAllBytes(dir.resolve(SEGMENT))));
  }

  @Test
  void aMemberLogWrittenByAnEarlierVersionRecoversWithItsEntryTypes() throws Exception {
    Files.copy(committed().resolve(SEGMENT), dir.resolve(SEGMENT));
    ConfState confState = new ConfState(Set.of(1L, 2L, 3L), Set.of(4L));
    try (Wal wal = Wal.open(dir, METADATA, OPTIONS);
        RaftLogStore log = RaftLogStore.recover(wal, wal.recoveredState(), confState, FaultHooks.NONE)) {
      assertEquals(new HardState(2, 1, 5), log.storage().hardState());
      assertEquals(2, log.snapshotIndex());
      List<Entry> entries = log.storage().entries(3, 6, Long.MAX_VALUE);
      assertEquals(List.of(EntryType.CONF_CHANGE, EntryType.NORMAL, EntryType.CONF_CHANGE),
          entries.stream().map(Entry::type).toList());
      ConfChange bootstrapped = ConfChange.decode(entries.get(0).data());
      assertEquals(new ConfChange(ConfChangeType.ADD_NODE, 3, member(3, false).toBuilder().clearClientUrls()
          .clearIsLearner().build().toByteArray()), bootstrapped);
      assertEquals(put(), LogRequest.parseFrom(entries.get(1).data()));
      ConfChange learner = ConfChange.decode(entries.get(2).data());
      assertEquals(ConfChangeType.ADD_LEARNER_NODE, learner.type());
      assertEquals(learnerContext(), ConfChangeContext.parseFrom(learner.context()));
    }
  }

  /** The fixed history of the committed segment. */
  private static void writeHistory(Path dir) throws Exception {
    ClusterMembers members = ClusterMembers.newBuilder().setClusterId(0xc1c1)
        .addMembers(member(2, false)).addMembers(member(1, false)).addMembers(member(3, false)).build();
    try (RaftLogStore log = RaftLogStore.bootstrap(Wal.create(dir, METADATA, OPTIONS), members, FaultHooks.NONE)) {
      log.persist(new HardState(2, 1, 3), List.of(new Entry(2, 4, EntryType.NORMAL, put().toByteArray()),
          new Entry(2, 5, EntryType.CONF_CHANGE,
              new ConfChange(ConfChangeType.ADD_LEARNER_NODE, 4, learnerContext().toByteArray()).encode())), true);
      log.persist(new HardState(2, 1, 5), List.of(), true);
      log.compact(2, new ConfState(Set.of(1L, 2L), Set.of()), 0);
    }
  }

  private static MemberAttributes member(long id, boolean learner) {
    return MemberAttributes.newBuilder().setId(id).setName("m" + id).addPeerUrls("http://10.0.0." + id + ":2380")
        .addClientUrls("http://10.0.0." + id + ":2379").setIsLearner(learner).build();
  }

  private static LogRequest put() {
    return LogRequest.newBuilder().setProposerId(1).setRequestId(9)
        .setPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v")))
        .build();
  }

  private static ConfChangeContext learnerContext() {
    return ConfChangeContext.newBuilder().setMember(member(4, true)).setProposerId(1).setRequestId(10).build();
  }

  private static Path committed() throws URISyntaxException {
    return Path.of(MemberLogFormatTest.class.getResource(RESOURCE).toURI());
  }
}
