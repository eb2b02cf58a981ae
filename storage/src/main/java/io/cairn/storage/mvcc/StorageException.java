package io.cairn.storage.mvcc;

/**
 * A RocksDB I/O failure. The member cannot continue safely after one (a write may or may not have
 * reached disk), so callers do not catch it: the server stops the member and recovers from the
 * raft log on restart.
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
