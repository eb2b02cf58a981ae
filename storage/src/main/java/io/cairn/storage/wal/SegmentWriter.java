package io.cairn.storage.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends records to the segment being written. Records are encoded into a memory buffer and reach
 * the file on {@link #flush} (one write call per batch), and the disk on {@link #force} (one
 * fdatasync: the file is preallocated, so its size and block map do not change while it fills).
 * Not thread-safe: the owning {@link Wal} is used from one thread.
 */
final class SegmentWriter implements Closeable {
  private static final int INITIAL_BUFFER_BYTES = 256 * 1024;

  private final Path path;
  private final SegmentName name;
  private final FileChannel channel;
  /** Bytes handed to the channel: the records occupy [0, written) of the file. */
  private long written;
  /** Bytes known to be on disk: synced <= written + pending.position(). */
  private long synced;
  /** Encoded records not yet handed to the channel; they go at file offset {@link #written}. */
  private ByteBuffer pending = ByteBuffer.allocateDirect(INITIAL_BUFFER_BYTES);

  private SegmentWriter(Path path, SegmentName name, FileChannel channel, long end) {
    this.path = path;
    this.name = name;
    this.channel = channel;
    this.written = end;
    this.synced = end;
  }

  /** Opens an existing segment file whose records end, durably, at {@code end}. */
  static SegmentWriter open(Path path, SegmentName name, long end) throws IOException {
    return new SegmentWriter(path, name, FileChannel.open(path, StandardOpenOption.WRITE), end);
  }

  Path path() {
    return path;
  }

  SegmentName name() {
    return name;
  }

  /** Offset the next record will be written at. */
  long size() {
    return written + pending.position();
  }

  /** Offset up to which the records are durable. */
  long synced() {
    return synced;
  }

  void add(WalRecord record) throws IOException {
    int size = WalRecordCodec.encodedSize(record);
    if (pending.remaining() < size) {
      flush();
      if (pending.capacity() < size) {
        pending = ByteBuffer.allocateDirect(Math.max(size, pending.capacity() * 2));
      }
    }
    WalRecordCodec.encode(record, pending);
  }

  /** Hands buffered records to the file (the page cache); they are not durable yet. */
  void flush() throws IOException {
    pending.flip();
    while (pending.hasRemaining()) {
      written += channel.write(pending, written);
    }
    pending.clear();
  }

  /** Makes every added record durable. */
  void force() throws IOException {
    flush();
    channel.force(false);
    synced = written;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
