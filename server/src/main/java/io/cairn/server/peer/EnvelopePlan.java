package io.cairn.server.peer;

import io.cairn.raft.Entry;
import io.cairn.raft.Message;
import io.cairn.raft.MessageType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How one raft batch's messages to one peer go on the wire: appends that a later append in the same
 * batch supersedes are left out, and the rest are cut into envelopes of bounded size.
 *
 * <p>Why both: raft answers every heartbeat response or rejection from a probing follower with an
 * append of up to max-size-per-msg from the same index. When the loop drains many such answers at
 * once (a follower back from a partition or a pause answers a backlog), one batch held hundreds of
 * identical 1 MiB appends, and one envelope carrying all of them reached 855 MB: the peer refused it
 * (over gRPC's 64 MiB inbound limit) and the sender ran out of memory (found by the Jepsen suite,
 * partition seed 116). Two appends with the same term, previous index and previous term start at
 * the same place of the same leader's log, so the later one carries the same entries or more and a
 * commit index at least as high: the earlier one is redundant. Dropping a message is always safe in
 * raft (the network may do it).
 */
final class EnvelopePlan {
  /** Serialized size (approximately) above which a new envelope starts. */
  static final long MAX_ENVELOPE_BYTES = 4L << 20;
  /** Per-message overhead besides entry payloads, for the size estimate. */
  private static final long MESSAGE_OVERHEAD_BYTES = 64;

  private EnvelopePlan() {}

  /** The messages to send, in their order, without appends superseded by a later one. */
  static List<Message> withoutSupersededAppends(List<Message> messages) {
    Set<AppendStart> seen = new HashSet<>();
    List<Message> kept = new ArrayList<>(messages.size());
    for (int i = messages.size() - 1; i >= 0; i--) {
      Message m = messages.get(i);
      if (m.type() == MessageType.APP && !seen.add(new AppendStart(m.to(), m.term(), m.index(), m.logTerm()))) {
        continue; // a later append from the same place carries at least this one's content
      }
      kept.add(m);
    }
    Collections.reverse(kept);
    return kept;
  }

  /** Cuts {@code messages} into consecutive groups of at most about {@link #MAX_ENVELOPE_BYTES} each. */
  static List<List<Message>> envelopes(List<Message> messages) {
    List<List<Message>> envelopes = new ArrayList<>();
    List<Message> current = new ArrayList<>();
    long size = 0;
    for (Message m : messages) {
      long bytes = estimatedBytes(m);
      if (!current.isEmpty() && size + bytes > MAX_ENVELOPE_BYTES) {
        envelopes.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      current.add(m);
      size += bytes;
    }
    if (!current.isEmpty()) {
      envelopes.add(current);
    }
    return envelopes;
  }

  static long estimatedBytes(Message m) {
    long bytes = MESSAGE_OVERHEAD_BYTES + m.context().length;
    for (Entry e : m.entries()) {
      bytes += e.sizeBytes();
    }
    return bytes;
  }

  /** Where an append starts: the receiver, the leader's term and the entry it follows. */
  private record AppendStart(long to, long term, long index, long logTerm) {}
}
