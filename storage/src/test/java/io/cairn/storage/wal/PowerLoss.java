package io.cairn.storage.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Simulates a power loss under a log, from outside it: what was appended since the last fsync is
 * lost, except for a prefix that happened to reach the disk. Lives in the tests so the shipped jar
 * has no way to cut its own log.
 */
final class PowerLoss {
  private PowerLoss() {}

  /** Loses every unsynced byte and closes the log; reopen the directory to recover. */
  static void loseUnsynced(Wal wal) throws IOException {
    loseUnsyncedExcept(wal, 0);
  }

  /**
   * Keeps the first {@code keepBytes} of the unsynced bytes (possibly ending inside a record) and
   * loses the rest, which then read as zeros as the preallocated space did; closes the log.
   */
  static void loseUnsyncedExcept(Wal wal, long keepBytes) throws IOException {
    Wal.DurableEnd durable = wal.durableEnd();
    long written = wal.writePosition();
    wal.close();
    long cut = Math.min(written, durable.offset() + Math.max(0, keepBytes));
    try (FileChannel channel = FileChannel.open(durable.segment(), StandardOpenOption.WRITE)) {
      WalFiles.writeZeros(channel, cut, written);
      channel.force(false);
    }
  }
}
