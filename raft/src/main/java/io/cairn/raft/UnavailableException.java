package io.cairn.raft;

/** The requested log index is beyond the last index the storage holds. */
public final class UnavailableException extends RuntimeException {
    public UnavailableException(long index, long lastIndex) {
        super("requested entry at index " + index + " is unavailable (last index " + lastIndex + ")");
    }
}
