package io.cairn.raft;

/**
 * The append messages sent to one follower and not yet acknowledged, as a ring of (last index,
 * bytes). The window is full at maxCount messages or maxBytes bytes; acknowledgements free it.
 */
final class Inflights {
    private final int maxCount;
    private final long maxBytes;
    private final long[] indexes;
    private final long[] sizes;
    /** Ring position of the oldest inflight message. */
    private int start;
    /** Number of inflight messages. Invariant: 0 &le; count &le; maxCount. */
    private int count;
    /** Sum of sizes of inflight messages. */
    private long bytes;

    Inflights(int maxCount, long maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
        this.indexes = new long[maxCount];
        this.sizes = new long[maxCount];
    }

    void add(long index, long size) {
        if (full()) {
            throw new IllegalStateException("cannot add into a full inflights window");
        }
        int next = (start + count) % maxCount;
        indexes[next] = index;
        sizes[next] = size;
        count++;
        bytes += size;
    }

    /** Frees every inflight message whose last index is &le; to. */
    void freeLE(long to) {
        while (count > 0 && indexes[start] <= to) {
            bytes -= sizes[start];
            start = (start + 1) % maxCount;
            count--;
        }
        if (count == 0) {
            start = 0;
        }
    }

    boolean full() {
        return count == maxCount || bytes >= maxBytes;
    }

    int count() {
        return count;
    }

    void reset() {
        start = 0;
        count = 0;
        bytes = 0;
    }
}
