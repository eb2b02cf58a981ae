package io.cairn.raft;

import java.util.Arrays;

/**
 * The answer to a {@link RaftNode#readIndex(byte[])} request: once the local state machine has applied
 * up to {@code index}, a read served locally is linearizable. {@code context} identifies the request.
 */
public record ReadState(long index, byte[] context) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ReadState r && r.index == index && Arrays.equals(r.context, context);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Arrays.hashCode(context);
    }

    @Override
    public String toString() {
        return "ReadState{index=" + index + " ctx=" + Bytes.show(context) + "}";
    }
}
