package io.cairn.storage.mvcc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB instance under an {@link MvccStore}: its column families, options and native
 * resources, opened and closed together.
 *
 * <p>Column families: {@code history} (every version of every key, see {@link HistoryKey}),
 * {@code revisions} (which key changed at each revision, see {@link RevisionKey}) and {@code meta}
 * (applied index, revisions, compaction state and other subsystems' records, see {@link MetaKey}).
 * {@code atomic_flush} is on because writes skip RocksDB's WAL: without it a crash could persist
 * one family's memtable and not another's, leaving the applied index out of step with the data.
 */
final class RocksDatabase implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private static final String HISTORY = "history";
  private static final String REVISIONS = "revisions";
  private static final String META = "meta";
  private static final long MAX_MANIFEST_FILE_BYTES = 4L << 20;
  private static final long MANIFEST_PREALLOCATION_BYTES = 256L << 10;

  final RocksDB db;
  final ColumnFamilyHandle history;
  final ColumnFamilyHandle revisions;
  final ColumnFamilyHandle meta;
  final WriteOptions writeOptions;
  /** Every native object to close, in reverse order of creation. */
  private final List<AutoCloseable> resources;

  private RocksDatabase(RocksDB db, List<ColumnFamilyHandle> handles, WriteOptions writeOptions,
      List<AutoCloseable> resources) {
    this.db = db;
    // handles[0] is RocksDB's mandatory "default" family, which the store does not use.
    this.history = handles.get(1);
    this.revisions = handles.get(2);
    this.meta = handles.get(3);
    this.writeOptions = writeOptions;
    this.resources = resources;
  }

  static RocksDatabase open(Path dir, MvccOptions options) {
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      LRUCache cache = track(resources, new LRUCache(options.blockCacheBytes()));
      BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache);
      ColumnFamilyOptions cfOptions = track(resources, new ColumnFamilyOptions()
          .setTableFormatConfig(table)
          .setWriteBufferSize(options.writeBufferBytes())
          .setMaxWriteBufferNumber(options.maxWriteBuffers()));
      DBOptions dbOptions = track(resources, new DBOptions()
          .setCreateIfMissing(true)
          .setCreateMissingColumnFamilies(true)
          .setAtomicFlush(true)
          .setMaxOpenFiles(256)
          // Bounded on disk, small machines have small disks: the diagnostic LOG rolls and old
          // ones are deleted; the MANIFEST (one edit per flush and compaction) is rewritten
          // compactly once it reaches 4 MiB instead of RocksDB's default 1 GiB, and is preallocated
          // 256 KiB at a time rather than 4 MiB (it takes a few edits a minute).
          .setMaxLogFileSize(options.infoLogFileBytes())
          .setKeepLogFileNum(MvccOptions.KEPT_INFO_LOG_FILES)
          .setMaxManifestFileSize(MAX_MANIFEST_FILE_BYTES)
          .setManifestPreallocationSize(MANIFEST_PREALLOCATION_BYTES));
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors(cfOptions), handles);
      // Handles must close before the DB, the DB before its options: resources close in reverse.
      resources.add(db);
      resources.addAll(handles);
      WriteOptions writeOptions = track(resources, new WriteOptions());
      if (options.durability() == MvccOptions.Durability.SYNC) {
        writeOptions.setSync(true);
      } else {
        writeOptions.setDisableWAL(true);
      }
      return new RocksDatabase(db, handles, writeOptions, resources);
    } catch (RocksDBException | IOException e) {
      closeAll(resources);
      throw new StorageException("cannot open MVCC store in " + dir, e);
    }
  }

  /**
   * Opens a store directory (e.g. a checkpoint) read-only, to copy from it; the database is not
   * created when missing and nothing in the directory changes.
   */
  static RocksDatabase openReadOnly(Path dir) {
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      ColumnFamilyOptions cfOptions = track(resources, new ColumnFamilyOptions());
      DBOptions dbOptions = track(resources, new DBOptions());
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db = RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors(cfOptions), handles);
      resources.add(db);
      resources.addAll(handles);
      WriteOptions unused = track(resources, new WriteOptions());
      return new RocksDatabase(db, handles, unused, resources);
    } catch (RocksDBException e) {
      closeAll(resources);
      throw new StorageException("cannot open MVCC store in " + dir + " read-only", e);
    }
  }

  private static List<ColumnFamilyDescriptor> descriptors(ColumnFamilyOptions cfOptions) {
    return List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
        new ColumnFamilyDescriptor(HISTORY.getBytes(StandardCharsets.UTF_8), cfOptions),
        new ColumnFamilyDescriptor(REVISIONS.getBytes(StandardCharsets.UTF_8), cfOptions),
        new ColumnFamilyDescriptor(META.getBytes(StandardCharsets.UTF_8), cfOptions));
  }

  private static <T extends AutoCloseable> T track(List<AutoCloseable> resources, T resource) {
    resources.add(resource);
    return resource;
  }

  List<ColumnFamilyHandle> families() {
    return List.of(history, revisions, meta);
  }

  void write(WriteBatch batch) {
    try {
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new StorageException("write to the MVCC store failed", e);
    }
  }

  void write(WriteBatchWithIndex batch) {
    try {
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new StorageException("write to the MVCC store failed", e);
    }
  }

  byte[] get(ColumnFamilyHandle family, byte[] key) {
    try {
      return db.get(family, key);
    } catch (RocksDBException e) {
      throw new StorageException("read from the MVCC store failed", e);
    }
  }

  /** Atomic flush of every column family, waiting until the memtables are on disk. */
  void flush() {
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.flush(flush, families());
    } catch (RocksDBException e) {
      throw new StorageException("flush of the MVCC store failed", e);
    }
  }

  long sumProperty(String property) {
    long total = 0;
    try {
      for (ColumnFamilyHandle family : families()) {
        total += db.getLongProperty(family, property);
      }
    } catch (RocksDBException e) {
      throw new StorageException("cannot read RocksDB property " + property, e);
    }
    return total;
  }

  /** Surfaces an I/O error an iterator met (an invalid iterator is otherwise just "at the end"). */
  static void checkIterator(RocksIterator iterator) {
    try {
      iterator.status();
    } catch (RocksDBException e) {
      throw new StorageException("iterating the MVCC store failed", e);
    }
  }

  @Override
  public void close() {
    closeAll(resources);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        throw new StorageException("closing a RocksDB resource failed", e);
      }
    }
    resources.clear();
  }
}
