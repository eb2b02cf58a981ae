package io.cairn.raft;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leader's pending ReadIndex requests (etcd's read_only.go, safe mode): each waits until a
 * quorum acknowledges a heartbeat carrying its context, which proves the leader was still leader
 * when the read index was taken. Requests complete in arrival order.
 */
final class ReadOnlyQueue {
    /** A pending request: the original message, the commit index at arrival, who acked it. */
    record Pending(Message request, long index, Set<Long> acks) {}

    /** Keyed by context bytes; insertion order is arrival order. */
    private final LinkedHashMap<ByteBuffer, Pending> pending = new LinkedHashMap<>();

    void addRequest(long index, Message m) {
        ByteBuffer key = ByteBuffer.wrap(m.context());
        pending.putIfAbsent(key, new Pending(m, index, new HashSet<>()));
    }

    /** Records an ack for the request with this context; returns its acks, or null if unknown. */
    Set<Long> recvAck(long id, byte[] context) {
        Pending p = pending.get(ByteBuffer.wrap(context));
        if (p == null) {
            return null;
        }
        p.acks.add(id);
        return p.acks;
    }

    /** Removes and returns every request up to and including the one with this context. */
    List<Pending> advance(byte[] context) {
        ByteBuffer key = ByteBuffer.wrap(context);
        if (!pending.containsKey(key)) {
            return List.of();
        }
        List<Pending> done = new ArrayList<>();
        var it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<ByteBuffer, Pending> e = it.next();
            done.add(e.getValue());
            it.remove();
            if (e.getKey().equals(key)) {
                break;
            }
        }
        return done;
    }

    /** Context of the most recent pending request, or null. */
    byte[] lastPendingContext() {
        byte[] last = null;
        for (Pending p : pending.values()) {
            last = p.request.context();
        }
        return last;
    }

    int size() {
        return pending.size();
    }
}
