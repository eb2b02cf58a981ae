package io.cairn.storage.disk;

import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * Recognises "No space left on device" (ENOSPC) in a failure, whichever layer reported it: the JDK
 * throws a plain {@link java.io.IOException} with the OS message, RocksDB an I/O error whose
 * subcode is {@code NoSpace}. Telling it apart from other I/O errors lets the member say what the
 * operator must do (free space) rather than only that storage failed.
 */
public final class NoSpaceLeft {
  /** The OS's text for ENOSPC (strerror), as the JDK and RocksDB both include it. */
  static final String MESSAGE = "No space left on device";

  private NoSpaceLeft() {}

  /** Whether {@code failure} or any of its causes is an ENOSPC. */
  public static boolean causedBy(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RocksDBException rocks && isNoSpace(rocks.getStatus())) {
        return true;
      }
      if (t.getMessage() != null && t.getMessage().contains(MESSAGE)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isNoSpace(Status status) {
    return status != null && status.getCode() == Status.Code.IOError && status.getSubCode() == Status.SubCode.NoSpace;
  }
}
