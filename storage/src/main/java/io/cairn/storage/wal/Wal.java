package io.cairn.storage.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable raft log of one member: entries, hard state and snapshot markers in checksummed
 * segment files. It is the member's source of durability (RocksDB runs without its own WAL), so its
 * contract is strict: whatever {@link #sync} returned for survives a crash, and nothing that was not
 * written whole is ever replayed.
 *
 * <p>Write path, tuned for latency: {@link #append} only encodes records into memory; {@link #sync}
 * writes them with one call and one fdatasync. The member persists a whole raft Ready batch with one
 * append and one sync (group commit). Segments are preallocated with zeros by a background thread,
 * so the fdatasync never has to persist a size change. When a segment fills, the log rolls: the full
 * segment is forced, the prepared file is renamed into place and the directory synced. Every segment
 * starts with the metadata, the last hard state and the newest snapshot marker.
 *
 * <p>Recovery ({@link #open}): a damaged tail of the last segment (a torn write, a checksum mismatch,
 * garbage in the preallocated space) is logged and wiped, because only unsynced writes end up there.
 * Damage followed by intact records, or damage in an earlier segment, is not something a crash
 * produces: {@link WalCorruptedException}, and the member does not start.
 *
 * <p>Not thread-safe: one thread (the member's raft loop) owns it. After an I/O failure the log's
 * on-disk state is unknown (a failed fsync cannot be retried), so every later call fails and the
 * member must stop.
 */
public final class Wal implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Wal.class);

  private final Path dir;
  private final WalOptions options;
  private final WalMetadata metadata;
  private final WalState recovered;
  private final SegmentPreallocator preallocator;
  /** Live segments in sequence order; the last one is {@link #active}'s. */
  private final List<SegmentName> segments;
  /** Snapshot markers written to live segments, oldest first; the last is {@link #snapshot}. */
  private final List<SnapshotMarkerLocation> markers;
  private SegmentWriter active;
  /** Offset in {@link #active} after its header records; a segment rolls only once it holds more. */
  private long activeHeaderEnd;
  /** The last hard state written. */
  private WalHardState hardState;
  /** The newest snapshot marker written: entries at or below its index may not be appended. */
  private WalSnapshotMarker snapshot;
  /** Index of the last entry in raft's log: the last appended entry's, or the marker's if greater. */
  private long lastIndex;
  /** Set once an I/O operation failed midway; every later call is refused. */
  private boolean broken;
  private boolean closed;

  private Wal(Path dir, WalOptions options, WalRecovery.Recovered from, SegmentWriter active, long headerEnd) {
    this.dir = dir;
    this.options = options;
    this.recovered = from.state();
    this.metadata = from.state().metadata();
    this.hardState = from.state().hardState();
    this.snapshot = from.state().snapshot();
    this.lastIndex = from.state().lastIndex();
    this.segments = new ArrayList<>(from.segments());
    this.markers = new ArrayList<>(from.markers());
    this.active = active;
    this.activeHeaderEnd = headerEnd;
    this.preallocator = new SegmentPreallocator(dir, options.segmentBytes());
    preallocator.prepareNext();
  }

  /** Whether {@code dir} holds a log (at least one segment file). */
  public static boolean exists(Path dir) throws IOException {
    return Files.isDirectory(dir) && !WalRecovery.listSegments(dir).isEmpty();
  }

  public static Wal create(Path dir, WalMetadata metadata) throws IOException {
    return create(dir, metadata, WalOptions.DEFAULTS);
  }

  /**
   * Creates a new, empty log in {@code dir} (created if missing). The first segment is written and
   * forced under a temporary name and then renamed, so a crash leaves either no log or a valid one.
   *
   * @throws FileAlreadyExistsException if {@code dir} already holds a log
   */
  public static Wal create(Path dir, WalMetadata metadata, WalOptions options) throws IOException {
    Files.createDirectories(dir);
    if (exists(dir)) {
      throw new FileAlreadyExistsException(dir.toString(), null, "a wal already exists in this directory");
    }
    deleteTemporaryFiles(dir);
    SegmentName first = new SegmentName(1, 1);
    Path temp = SegmentPreallocator.createZeroed(
        dir.resolve("first.wal" + SegmentPreallocator.TEMP_SUFFIX), options.segmentBytes());
    long headerEnd;
    try (SegmentWriter writer = SegmentWriter.open(temp, first, 0)) {
      writer.add(metadata);
      writer.force();
      headerEnd = writer.size();
    }
    Path path = dir.resolve(first.fileName());
    Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
    WalFiles.syncDirectory(dir);
    if (dir.toAbsolutePath().getParent() != null) {
      WalFiles.syncDirectory(dir.toAbsolutePath().getParent());
    }
    WalState empty = new WalState(metadata, WalHardState.EMPTY, WalSnapshotMarker.NONE, List.of());
    WalRecovery.Recovered fresh = new WalRecovery.Recovered(empty, List.of(first), headerEnd, null, null, List.of());
    return new Wal(dir, options, fresh, SegmentWriter.open(path, first, headerEnd), headerEnd);
  }

  public static Wal open(Path dir) throws IOException {
    return open(dir, WalOptions.DEFAULTS);
  }

  /**
   * Opens the log in {@code dir} and recovers its state ({@link #recoveredState}), wiping a damaged
   * tail of the last segment.
   *
   * @throws NoSuchFileException if {@code dir} holds no log
   * @throws WalCorruptedException if the log is damaged beyond a torn tail
   */
  public static Wal open(Path dir, WalOptions options) throws IOException {
    if (!exists(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "no wal in this directory");
    }
    deleteTemporaryFiles(dir);
    WalRecovery.Recovered from = WalRecovery.recover(dir);
    if (from.tornSegment() != null) {
      LOG.warn("wal {}: deleting segment {}: none of its records reached the disk before a crash",
          dir, from.tornSegment().fileName());
      Files.delete(dir.resolve(from.tornSegment().fileName()));
      WalFiles.syncDirectory(dir);
    }
    SegmentName last = from.segments().get(from.segments().size() - 1);
    Path path = dir.resolve(last.fileName());
    repairTail(path, from.lastSegmentEnd(), from.lastSegmentDamage(), options.segmentBytes());
    return new Wal(dir, options, from, SegmentWriter.open(path, last, from.lastSegmentEnd()), 0);
  }

  /**
   * Opens the log and checks that it belongs to the expected member and cluster.
   *
   * @throws WalMetadataMismatchException if it belongs to another member or cluster
   */
  public static Wal open(Path dir, WalMetadata expected, WalOptions options) throws IOException {
    Wal wal = open(dir, options);
    if (!wal.metadata.equals(expected)) {
      wal.close();
      throw new WalMetadataMismatchException(expected, wal.metadata);
    }
    return wal;
  }

  /** The state found when the log was opened (empty for a created log); later writes do not change it. */
  public WalState recoveredState() {
    return recovered;
  }

  public WalMetadata metadata() {
    return metadata;
  }

  /** The directory holding the segments, for error messages about what the log holds. */
  public Path dir() {
    return dir;
  }

  /** Index of the last entry in the log (or of the snapshot marker when no entry follows it). */
  public long lastIndex() {
    return lastIndex;
  }

  /** Bytes appended but not yet made durable by {@link #sync}. */
  public long unsyncedBytes() {
    return active.size() - active.synced();
  }

  /**
   * Buffers entries and, if given and changed, a hard state. Nothing is durable until {@link #sync}.
   * Entries must be contiguous, start above the snapshot marker and at most one past the last index;
   * starting at or below the last index replaces the entries from there on (raft's overwrite rule).
   *
   * @param hardState the new hard state, or null when it did not change
   * @throws IllegalArgumentException if the entries break those rules; nothing is written then
   */
  public void append(WalHardState hardState, List<WalEntry> entries) throws IOException {
    checkUsable();
    checkAppendable(entries);
    try {
      for (WalEntry entry : entries) {
        write(entry);
        lastIndex = entry.index();
      }
      if (hardState != null && !hardState.equals(this.hardState)) {
        write(hardState);
        this.hardState = hardState;
      }
    } catch (IOException | RuntimeException e) {
      broken = true;
      throw e;
    }
  }

  /** Makes everything appended so far durable with one fdatasync (none if nothing was appended). */
  public void sync() throws IOException {
    checkUsable();
    if (unsyncedBytes() == 0) {
      return;
    }
    try {
      active.force();
    } catch (IOException | RuntimeException e) {
      broken = true;
      throw e;
    }
  }

  /**
   * Durably records that a snapshot covers the log up to {@code index} (syncing everything appended
   * before it). Entries above the index stay; if the index is beyond the last entry, the next entry
   * expected is {@code index + 1}.
   *
   * @throws IllegalArgumentException if the marker goes back from the newest one
   */
  public void saveSnapshot(long index, long term) throws IOException {
    checkUsable();
    WalSnapshotMarker marker = new WalSnapshotMarker(index, term);
    if (index < snapshot.index() || (index == snapshot.index() && term != snapshot.term())) {
      throw new IllegalArgumentException("snapshot marker " + marker + " goes back from " + snapshot);
    }
    try {
      if (!marker.equals(snapshot)) {
        write(marker);
        snapshot = marker;
        markers.add(new SnapshotMarkerLocation(marker, active.name().sequence()));
        lastIndex = Math.max(lastIndex, index);
      }
      active.force();
    } catch (IOException | RuntimeException e) {
      broken = true;
      throw e;
    }
  }

  /**
   * Deletes the segments that hold only entries covered by the newest snapshot marker at or below
   * {@code index}, keeping the segment the marker is in. The segment being written is never deleted.
   *
   * @return how many segment files were deleted
   */
  public int releaseBefore(long index) throws IOException {
    checkUsable();
    SnapshotMarkerLocation bound = null;
    for (SnapshotMarkerLocation location : markers) {
      if (location.marker().index() <= index) {
        bound = location;
      }
    }
    if (bound == null) {
      return 0;
    }
    int releasable = 0;
    while (releasable < segments.size() - 1
        && segments.get(releasable).sequence() < bound.sequence()
        && segments.get(releasable + 1).firstIndex() - 1 <= bound.marker().index()) {
      releasable++;
    }
    try {
      for (int i = 0; i < releasable; i++) {
        Files.delete(dir.resolve(segments.get(i).fileName()));
      }
      if (releasable > 0) {
        WalFiles.syncDirectory(dir);
      }
    } catch (IOException | RuntimeException e) {
      broken = true;
      throw e;
    }
    segments.subList(0, releasable).clear();
    markers.subList(0, markers.indexOf(bound)).clear();
    return releasable;
  }

  /** Syncs whatever was appended and releases the files. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!broken) {
        active.force();
      }
    } finally {
      active.close();
      preallocator.close();
    }
  }

  /**
   * Where the durable part of the log ends: the segment being written and the offset in it up to
   * which an fsync made the records durable. Later bytes of that segment may be lost in a power
   * failure. Fault-injection tools read it to cut a killed member's log back to what a power loss
   * would have left.
   */
  public DurableEnd durableEnd() {
    return new DurableEnd(dir.resolve(active.name().fileName()), active.synced());
  }

  /**
   * @param segment the segment file being written
   * @param offset bytes of {@code segment} made durable by an fsync
   */
  public record DurableEnd(Path segment, long offset) {}

  List<SegmentName> segments() {
    return List.copyOf(segments);
  }

  /** Offset in the segment being written at which the next record goes. */
  long writePosition() {
    return active.size();
  }

  Path segmentPath(SegmentName name) {
    return dir.resolve(name.fileName());
  }

  private void write(WalRecord record) throws IOException {
    long size = WalRecordCodec.encodedSize(record);
    if (active.size() + size > options.segmentBytes() && active.size() > activeHeaderEnd) {
      roll();
    }
    active.add(record);
  }

  /** Closes the full segment durably and continues in the prepared one. */
  private void roll() throws IOException {
    active.force();
    active.close();
    SegmentName next = new SegmentName(active.name().sequence() + 1, lastIndex + 1);
    Path path = dir.resolve(next.fileName());
    Files.move(preallocator.take(), path, StandardCopyOption.ATOMIC_MOVE);
    WalFiles.syncDirectory(dir);
    segments.add(next);
    active = SegmentWriter.open(path, next, 0);
    active.add(metadata);
    active.add(hardState);
    active.add(snapshot);
    activeHeaderEnd = active.size();
    preallocator.prepareNext();
  }

  private void checkAppendable(List<WalEntry> entries) {
    long expectedMax = lastIndex + 1;
    for (int i = 0; i < entries.size(); i++) {
      long index = entries.get(i).index();
      if (i == 0 && (index <= snapshot.index() || index > expectedMax)) {
        throw new IllegalArgumentException("cannot append entry " + index + ": the log holds entries "
            + (snapshot.index() + 1) + " to " + lastIndex + ", so the first entry must be in "
            + (snapshot.index() + 1) + ".." + expectedMax);
      }
      if (i > 0 && index != entries.get(i - 1).index() + 1) {
        throw new IllegalArgumentException("entries to append are not contiguous: "
            + entries.get(i - 1).index() + " is followed by " + index);
      }
    }
  }

  private void checkUsable() {
    if (closed) {
      throw new IllegalStateException("wal " + dir + " is closed");
    }
    if (broken) {
      throw new IllegalStateException("wal " + dir + " failed an earlier write; the member must stop");
    }
  }

  /**
   * Makes the last segment ready for appends at {@code end}: wipes a damaged tail (logging it) and
   * restores the preallocated size if the file was cut short.
   */
  private static void repairTail(Path path, long end, String damage, long segmentBytes) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      long size = channel.size();
      if (damage == null && size >= segmentBytes) {
        return;
      }
      if (damage != null) {
        LOG.warn("wal {}: {} at offset {}; wiping the last {} bytes (an interrupted, unsynced write)",
            path, damage, end, size - end);
        WalFiles.writeZeros(channel, end, size);
      }
      WalFiles.writeZeros(channel, size, segmentBytes);
      channel.force(true);
    }
  }

  private static void deleteTemporaryFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(SegmentPreallocator.TEMP_SUFFIX)).toList()) {
        Files.delete(file);
      }
    }
  }
}
