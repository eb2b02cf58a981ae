package io.cairn.storage.wal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Prepares the next segment file off the append path: a zero-filled, fsynced file of the segment
 * size under a temporary name, ready to be renamed into place when the current segment fills.
 * Writing real zeros (rather than a sparse file) means the blocks are allocated up front, so the
 * fdatasync after each append does not also have to persist block allocation.
 */
final class SegmentPreallocator implements Closeable {
  /** Suffix of files that are not (yet) segments; leftovers are deleted when the log is opened. */
  static final String TEMP_SUFFIX = ".tmp";

  /**
   * Preallocation forces its zeros in steps of this many bytes, so that it never holds a large
   * amount of dirty pages whose writeback the appender's fdatasync would have to queue behind.
   */
  private static final long FORCE_EVERY_BYTES = 1L << 20;

  private final Path dir;
  private final long segmentBytes;
  private final ExecutorService executor;
  /** The file being prepared, or null when none was requested since the last {@link #take}. */
  private Future<Path> next;

  SegmentPreallocator(Path dir, long segmentBytes) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.executor = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "wal-preallocate-" + dir.getFileName());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts preparing the next segment file in the background. */
  void prepareNext() {
    if (next == null) {
      next = executor.submit(() -> createZeroed(dir.resolve("next.wal" + TEMP_SUFFIX), segmentBytes));
    }
  }

  /** Returns the prepared file, waiting for it if its preparation is still running. */
  Path take() throws IOException {
    prepareNext();
    Future<Path> ready = next;
    next = null;
    try {
      return ready.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("preallocating a wal segment failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a preallocated wal segment");
    }
  }

  /** Creates (or replaces) {@code file} as {@code bytes} zero bytes and forces it to disk. */
  static Path createZeroed(Path file, long bytes) throws IOException {
    Files.deleteIfExists(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long written = 0; written < bytes; written += FORCE_EVERY_BYTES) {
        WalFiles.writeZeros(channel, written, Math.min(bytes, written + FORCE_EVERY_BYTES));
        channel.force(false);
      }
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      // A half-written file (the disk filled up) would only hold on to the space that is missing.
      try {
        Files.deleteIfExists(file);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    return file;
  }

  @Override
  public void close() throws IOException {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IOException("wal preallocation thread did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while stopping wal preallocation");
    }
  }
}
