package io.cairn.storage.mvcc;

/**
 * Tuning and durability settings of an {@link MvccStore}.
 *
 * <p>Memory use is bounded by these numbers, not by the number of keys: the block cache is one
 * LRU cache shared by every column family, and each column family has at most
 * {@code maxWriteBuffers} memtables of {@code writeBufferBytes}.
 *
 * @param blockCacheBytes size of the shared LRU block cache (default 64 MiB)
 * @param writeBufferBytes size of one memtable per column family (default 8 MiB)
 * @param maxWriteBuffers memtables per column family before writes stall (default 2)
 * @param durability whether writes rely on the raft log or are synced by RocksDB itself
 * @param infoLogFileBytes size at which RocksDB's diagnostic LOG file rolls (default 8 MiB); it
 *     keeps {@value #KEPT_INFO_LOG_FILES} old ones, so the LOG files take at most four times this
 */
public record MvccOptions(long blockCacheBytes, long writeBufferBytes, int maxWriteBuffers,
    Durability durability, long infoLogFileBytes) {
  /** Old info LOG files RocksDB keeps besides the one being written. */
  public static final int KEPT_INFO_LOG_FILES = 3;

  /** How an acknowledged write survives a crash. */
  public enum Durability {
    /**
     * RocksDB's own WAL is disabled: the raft log is the durability source and is replayed on
     * restart; the server calls {@link MvccStore#flush()} before truncating that log.
     */
    RAFT_LOG,
    /** Every write batch goes to RocksDB's WAL with fsync: for use without a raft log (tests, tools). */
    SYNC
  }

  public MvccOptions {
    if (blockCacheBytes <= 0 || writeBufferBytes <= 0 || maxWriteBuffers < 2) {
      throw new IllegalArgumentException("block cache and write buffer must be > 0 and maxWriteBuffers >= 2");
    }
    if (infoLogFileBytes <= 0) {
      throw new IllegalArgumentException("infoLogFileBytes must be > 0");
    }
    if (durability == null) {
      throw new IllegalArgumentException("durability must be set");
    }
  }

  public static MvccOptions defaults() {
    return new MvccOptions(64L << 20, 8L << 20, 2, Durability.RAFT_LOG, 8L << 20);
  }

  public MvccOptions withDurability(Durability value) {
    return new MvccOptions(blockCacheBytes, writeBufferBytes, maxWriteBuffers, value, infoLogFileBytes);
  }

  public MvccOptions withBlockCacheBytes(long value) {
    return new MvccOptions(value, writeBufferBytes, maxWriteBuffers, durability, infoLogFileBytes);
  }

  public MvccOptions withWriteBufferBytes(long value) {
    return new MvccOptions(blockCacheBytes, value, maxWriteBuffers, durability, infoLogFileBytes);
  }

  public MvccOptions withInfoLogFileBytes(long value) {
    return new MvccOptions(blockCacheBytes, writeBufferBytes, maxWriteBuffers, durability, value);
  }
}
