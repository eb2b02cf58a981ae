package io.cairn.raft;

/** The requested log index precedes the first index still kept (it was compacted into a snapshot). */
public final class CompactedException extends RuntimeException {
    public CompactedException(long index, long firstIndex) {
        super("requested index " + index + " is unavailable due to compaction (first index " + firstIndex + ")");
    }
}
