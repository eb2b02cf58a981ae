package io.cairn.storage.mvcc;

/**
 * Result of {@link MvccStore#hashKv}: a CRC-32C over every change at or below
 * {@code hashRevision} that survives compaction at {@code compactRevision}, so two members with the
 * same history report the same hash whether or not they have physically compacted yet.
 */
public record HashKv(int hash, long compactRevision, long hashRevision) {}
