package io.cairn.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The few file-system operations the log needs beyond what FileChannel offers directly. */
final class WalFiles {
  /** Shared read-only source of zero bytes for filling preallocated space. */
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

  private WalFiles() {}

  /** Makes creations, renames and deletions of files in {@code dir} durable. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Writes zero bytes over {@code [from, to)} of the file (extending it if needed); does not force. */
  static void writeZeros(FileChannel channel, long from, long to) throws IOException {
    long position = from;
    while (position < to) {
      ByteBuffer chunk = ZEROS.duplicate();
      chunk.limit((int) Math.min(chunk.capacity(), to - position));
      while (chunk.hasRemaining()) {
        position += channel.write(chunk, position);
      }
    }
  }

  /** Index of the first non-zero byte at or after {@code from} in {@code buf}, or its limit if none. */
  static int nextNonZero(ByteBuffer buf, int from) {
    int position = from;
    while (position < buf.limit()) {
      int length = Math.min(ZEROS.capacity(), buf.limit() - position);
      int mismatch = buf.slice(position, length).mismatch(ZEROS.slice(0, length));
      if (mismatch >= 0) {
        return position + mismatch;
      }
      position += length;
    }
    return buf.limit();
  }
}
