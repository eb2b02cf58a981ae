package io.cairn.server.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.cairn.raft.ConfState;
import io.cairn.raft.Entry;
import io.cairn.raft.EntryType;
import io.cairn.raft.Message;
import io.cairn.raft.MessageType;
import io.cairn.raft.Snapshot;
import io.cairn.raft.SnapshotMetadata;
import io.cairn.server.internal.RaftEntry;
import io.cairn.server.internal.RaftMessage;
import io.cairn.server.internal.RaftSnapshotMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Raft messages to and from their wire form. A snapshot travels without its data here: the MVCC
 * checkpoint that is the snapshot's content is streamed separately (see {@link SnapshotSender}).
 */
final class MessageCodec {
  private static final MessageType[] TYPES = MessageType.values();
  private static final EntryType[] ENTRY_TYPES = EntryType.values();

  private MessageCodec() {}

  static RaftMessage encode(Message m) {
    RaftMessage.Builder b = RaftMessage.newBuilder()
        .setType(m.type().ordinal())
        .setFrom(m.from())
        .setTo(m.to())
        .setTerm(m.term())
        .setLogTerm(m.logTerm())
        .setIndex(m.index())
        .setCommit(m.commit())
        .setReject(m.reject())
        .setRejectHint(m.rejectHint())
        .setContext(ByteString.copyFrom(m.context()));
    for (Entry e : m.entries()) {
      b.addEntries(RaftEntry.newBuilder()
          .setTerm(e.term())
          .setIndex(e.index())
          .setType(e.type().ordinal())
          // An entry's data is never mutated once the entry exists (see Entry), so it is shared, not
          // copied, for every peer it goes to.
          .setData(UnsafeByteOperations.unsafeWrap(e.data())));
    }
    if (m.snapshot() != null) {
      SnapshotMetadata meta = m.snapshot().metadata();
      b.setSnapshot(RaftSnapshotMetadata.newBuilder()
          .setIndex(meta.index())
          .setTerm(meta.term())
          .addAllVoters(meta.confState().voters())
          .addAllLearners(meta.confState().learners()));
      b.setSnapshotData(ByteString.copyFrom(m.snapshot().data()));
    }
    return b.build();
  }

  static Message decode(RaftMessage m) {
    if (m.getType() < 0 || m.getType() >= TYPES.length || TYPES[m.getType()].isLocal()) {
      throw new IllegalArgumentException("not a raft wire message type: " + m.getType());
    }
    List<Entry> entries = new ArrayList<>(m.getEntriesCount());
    for (RaftEntry e : m.getEntriesList()) {
      if (e.getType() < 0 || e.getType() >= ENTRY_TYPES.length) {
        throw new IllegalArgumentException("unknown raft entry type " + e.getType());
      }
      entries.add(new Entry(e.getTerm(), e.getIndex(), ENTRY_TYPES[e.getType()], e.getData().toByteArray()));
    }
    Snapshot snapshot = null;
    if (m.hasSnapshot()) {
      RaftSnapshotMetadata s = m.getSnapshot();
      Set<Long> voters = new HashSet<>(s.getVotersList());
      Set<Long> learners = new HashSet<>(s.getLearnersList());
      snapshot = new Snapshot(new SnapshotMetadata(s.getIndex(), s.getTerm(), new ConfState(voters, learners)),
          m.getSnapshotData().toByteArray());
    }
    return new Message(TYPES[m.getType()], m.getFrom(), m.getTo(), m.getTerm(), m.getLogTerm(), m.getIndex(),
        entries, m.getCommit(), snapshot, m.getReject(), m.getRejectHint(), m.getContext().toByteArray());
  }
}
