package io.cairn.raft;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A Raft message, plain data so the server can encode it (e.g. as protobuf). Field use follows etcd's
 * raftpb.Message: {@code logTerm/index} locate the entry preceding {@code entries} in APP (and the
 * candidate's last entry in votes); {@code commit} is the sender's commit index; {@code rejectHint}
 * and {@code logTerm} on a rejected APP_RESP drive fast back-off; {@code context} carries a ReadIndex
 * request id (READ_INDEX, READ_INDEX_RESP, HEARTBEAT, HEARTBEAT_RESP) or marks a leader-transfer
 * election (VOTE/PRE_VOTE).
 */
public record Message(MessageType type, long from, long to, long term, long logTerm, long index,
                      List<Entry> entries, long commit, Snapshot snapshot,
                      boolean reject, long rejectHint, byte[] context) {

    public Message {
        Objects.requireNonNull(type, "type");
        entries = entries == null ? List.of() : List.copyOf(entries);
        context = context == null ? Bytes.EMPTY : context;
    }

    /** A builder-like copy helper: this message with another recipient. */
    Message withTo(long newTo) {
        return new Message(type, from, newTo, term, logTerm, index, entries, commit, snapshot, reject, rejectHint, context);
    }

    Message withTerm(long newTerm) {
        return new Message(type, from, to, newTerm, logTerm, index, entries, commit, snapshot, reject, rejectHint, context);
    }

    Message withFrom(long newFrom) {
        return new Message(type, newFrom, to, term, logTerm, index, entries, commit, snapshot, reject, rejectHint, context);
    }

    /** A message of the given type with all other fields zero/empty. */
    static Message of(MessageType type, long from, long to) {
        return new Message(type, from, to, 0, 0, 0, List.of(), 0, null, false, 0, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.type == type && m.from == from && m.to == to && m.term == term
                && m.logTerm == logTerm && m.index == index && m.entries.equals(entries) && m.commit == commit
                && Objects.equals(m.snapshot, snapshot) && m.reject == reject && m.rejectHint == rejectHint
                && Arrays.equals(m.context, context);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, from, to, term, index, commit);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(from).append("->").append(to).append(' ').append(type).append(" Term:").append(term)
                .append(" Log:").append(logTerm).append('/').append(index);
        if (commit != 0) {
            sb.append(" Commit:").append(commit);
        }
        if (reject) {
            sb.append(" Rejected (Hint: ").append(rejectHint).append(')');
        }
        if (!entries.isEmpty()) {
            sb.append(" Entries:").append(entries);
        }
        if (snapshot != null) {
            sb.append(' ').append(snapshot);
        }
        if (context.length > 0) {
            sb.append(" Ctx:").append(Bytes.show(context));
        }
        return sb.toString();
    }
}
