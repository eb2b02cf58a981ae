package io.cairn.storage.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Replays the segments of a log directory into the state raft restarts from. Read-only: it reports
 * what the last segment's damaged tail is and which torn segment is to be dropped, and {@link Wal}
 * does the repair.
 *
 * <p>Replay rules, the same ones the writer enforces: entries are contiguous; an entry at index i
 * replaces every entry at index i or above (raft's overwrite rule); a snapshot marker covers the
 * entries at or below its index; markers never go backwards; every segment starts with the same
 * metadata. A log that breaks them is reported as {@link WalCorruptedException}, never patched up.
 */
final class WalRecovery {
  /**
   * The outcome of replaying a directory.
   *
   * @param state what raft restarts from
   * @param segments the segments that remain, in order; the last one is where appends continue
   * @param lastSegmentEnd offset just past the last intact record of the last segment
   * @param lastSegmentDamage null if the last segment ends cleanly, otherwise what its tail holds
   * @param tornSegment a last segment with no intact record (a crash right after a roll), to delete;
   *     null if none
   * @param markers where each distinct snapshot marker was first written, oldest first
   */
  record Recovered(
      WalState state,
      List<SegmentName> segments,
      long lastSegmentEnd,
      String lastSegmentDamage,
      SegmentName tornSegment,
      List<SnapshotMarkerLocation> markers) {}

  private final Path dir;
  private WalMetadata metadata;
  private WalHardState hardState = WalHardState.EMPTY;
  private WalSnapshotMarker marker = WalSnapshotMarker.NONE;
  /** Contiguous entries in index order; those at or below {@link #marker} are dropped eagerly. */
  private final ArrayList<WalEntry> entries = new ArrayList<>();
  /** Index of the last entry raft's log holds so far: the last entry's, or the marker's if greater. */
  private long lastIndex;
  private final List<SnapshotMarkerLocation> markers = new ArrayList<>();

  private WalRecovery(Path dir) {
    this.dir = dir;
  }

  /** Lists the segment files of {@code dir} in sequence order. */
  static List<SegmentName> listSegments(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(SegmentName::parse)
          .filter(name -> name != null)
          .sorted(Comparator.comparingLong(SegmentName::sequence))
          .toList();
    }
  }

  static Recovered recover(Path dir) throws IOException {
    return new WalRecovery(dir).run();
  }

  private Recovered run() throws IOException {
    List<SegmentName> segments = new ArrayList<>(listSegments(dir));
    if (segments.isEmpty()) {
      throw new WalCorruptedException(dir, -1, "no wal segment in the directory");
    }
    for (int i = 1; i < segments.size(); i++) {
      if (segments.get(i).sequence() != segments.get(i - 1).sequence() + 1) {
        throw new WalCorruptedException(dir.resolve(segments.get(i).fileName()), -1,
            "segment sequence jumps from " + segments.get(i - 1).sequence()
                + " to " + segments.get(i).sequence() + ": a segment is missing");
      }
    }
    lastIndex = segments.get(0).firstIndex() - 1;
    SegmentName tornSegment = null;
    SegmentScanner.SegmentScan lastScan = null;
    for (int i = 0; i < segments.size(); i++) {
      SegmentName name = segments.get(i);
      Path file = dir.resolve(name.fileName());
      SegmentScanner.SegmentScan scan = SegmentScanner.scan(file);
      boolean last = i == segments.size() - 1;
      if (scan.damage() != null && !last) {
        throw new WalCorruptedException(file, scan.validEnd(),
            scan.damage() + " in a segment that is not the last one");
      }
      if (last && scan.records().isEmpty() && i > 0) {
        tornSegment = name; // created by a roll whose first records never reached the disk
        break;
      }
      replaySegment(file, name, scan.records());
      lastScan = scan;
    }
    if (tornSegment != null) {
      segments.remove(segments.size() - 1);
    }
    checkEntriesFollowMarker(dir.resolve(segments.get(segments.size() - 1).fileName()));
    return new Recovered(
        new WalState(metadata, hardState, marker, entries),
        List.copyOf(segments),
        lastScan.validEnd(),
        lastScan.damage(),
        tornSegment,
        List.copyOf(markers));
  }

  private void replaySegment(Path file, SegmentName name, List<WalRecord> records) throws IOException {
    if (records.isEmpty() || !(records.get(0) instanceof WalMetadata first)) {
      throw new WalCorruptedException(file, 0, "segment does not start with a metadata record");
    }
    if (metadata == null) {
      metadata = first;
    } else if (!metadata.equals(first)) {
      throw new WalCorruptedException(file, 0, "segment metadata " + first + " differs from " + metadata);
    }
    for (int i = 1; i < records.size(); i++) {
      WalRecord record = records.get(i);
      if (record instanceof WalEntry entry) {
        replayEntry(file, entry);
      } else if (record instanceof WalHardState state) {
        hardState = state;
      } else if (record instanceof WalSnapshotMarker snapshot) {
        replayMarker(file, name, snapshot);
      } else {
        throw new WalCorruptedException(file, -1, "metadata record in the middle of a segment");
      }
    }
  }

  private void replayEntry(Path file, WalEntry entry) throws IOException {
    if (entry.index() <= marker.index()) {
      throw new WalCorruptedException(file, -1, "entry " + entry.index()
          + " written after a snapshot marker that covers it (" + marker + ")");
    }
    if (entry.index() > lastIndex + 1) {
      throw new WalCorruptedException(file, -1,
          "entry " + entry.index() + " follows index " + lastIndex + ": entries are missing");
    }
    truncateFrom(entry.index());
    entries.add(entry);
    lastIndex = entry.index();
  }

  private void replayMarker(Path file, SegmentName segment, WalSnapshotMarker snapshot) throws IOException {
    if (snapshot.index() < marker.index()
        || (snapshot.index() == marker.index() && snapshot.term() != marker.term())) {
      throw new WalCorruptedException(file, -1, "snapshot marker " + snapshot + " goes back from " + marker);
    }
    if (snapshot.equals(marker)) {
      return; // a copy in a segment header
    }
    marker = snapshot;
    markers.add(new SnapshotMarkerLocation(snapshot, segment.sequence()));
    int covered = 0;
    while (covered < entries.size() && entries.get(covered).index() <= snapshot.index()) {
      covered++;
    }
    entries.subList(0, covered).clear();
    lastIndex = Math.max(lastIndex, snapshot.index());
  }

  private void truncateFrom(long index) {
    if (entries.isEmpty()) {
      return;
    }
    int keep = (int) Math.max(0, Math.min(entries.size(), index - entries.get(0).index()));
    entries.subList(keep, entries.size()).clear();
  }

  private void checkEntriesFollowMarker(Path file) throws IOException {
    long firstAfterMarker = entries.isEmpty() ? lastIndex + 1 : entries.get(0).index();
    if (firstAfterMarker != marker.index() + 1) {
      throw new WalCorruptedException(file, -1, "entries " + (marker.index() + 1) + " to "
          + (firstAfterMarker - 1) + " are neither in the log nor covered by a snapshot marker");
    }
  }
}
