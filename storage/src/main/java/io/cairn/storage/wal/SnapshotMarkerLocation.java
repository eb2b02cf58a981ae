package io.cairn.storage.wal;

/**
 * Where a snapshot marker was first written, which bounds what {@link Wal#releaseBefore} may delete:
 * only segments before {@code sequence}, so that the marker itself survives the release.
 *
 * @param marker the marker
 * @param sequence sequence number of the segment it was written to
 */
record SnapshotMarkerLocation(WalSnapshotMarker marker, long sequence) {}
