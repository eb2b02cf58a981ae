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
 * Message and entry types travel as their stable {@code code()}s, so members of two versions
 * understand each other during a rolling upgrade; MessageCodecFormatTest pins the bytes.
 */
final class MessageCodec {
  private MessageCodec() {}

  static RaftMessage encode(Message m) {
    RaftMessage.Builder b = RaftMessage.newBuilder()
        .setType(m.type().code())
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
          .setType(e.type().code())
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

  /**
   * The raft message {@code m} carries.
   *
   * @throws IllegalArgumentException if its type or an entry's type is unknown (a newer peer, or a
   *     broken one), or it is a kind that never crosses the wire
   */
  static Message decode(RaftMessage m) {
    MessageType type = MessageType.fromCode(m.getType());
    if (type.isLocal()) {
      throw new IllegalArgumentException("raft message type " + type + " (code " + m.getType()
          + ") is local to a member and never sent to a peer");
    }
    List<Entry> entries = new ArrayList<>(m.getEntriesCount());
    for (RaftEntry e : m.getEntriesList()) {
      entries.add(new Entry(e.getTerm(), e.getIndex(), EntryType.fromCode(e.getType()), e.getData().toByteArray()));
    }
    Snapshot snapshot = null;
    if (m.hasSnapshot()) {
      RaftSnapshotMetadata s = m.getSnapshot();
      Set<Long> voters = new HashSet<>(s.getVotersList());
      Set<Long> learners = new HashSet<>(s.getLearnersList());
      snapshot = new Snapshot(new SnapshotMetadata(s.getIndex(), s.getTerm(), new ConfState(voters, learners)),
          m.getSnapshotData().toByteArray());
    }
    return new Message(type, m.getFrom(), m.getTo(), m.getTerm(), m.getLogTerm(), m.getIndex(),
        entries, m.getCommit(), snapshot, m.getReject(), m.getRejectHint(), m.getContext().toByteArray());
  }
}
