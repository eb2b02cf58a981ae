package io.cairn.storage.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The log holds damage that recovery must not repair on its own: a bad record followed by valid
 * ones, damage in a segment that is not the last, or records that contradict each other. Truncating
 * here could drop acknowledged writes, so the member refuses to start and an operator decides.
 */
public final class WalCorruptedException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The segment file holding the damage. */
  private final Path file;
  /** Byte offset of the damaged record inside {@link #file}, or -1 when not tied to one record. */
  private final long offset;

  public WalCorruptedException(Path file, long offset, String reason) {
    super("wal corrupted: " + file + (offset >= 0 ? " at offset " + offset : "") + ": " + reason);
    this.file = file;
    this.offset = offset;
  }

  public Path file() {
    return file;
  }

  public long offset() {
    return offset;
  }
}
