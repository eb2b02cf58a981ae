/**
 * etcd's multi-version key-value store on RocksDB.
 *
 * <p>Layout: column family {@code history} holds every version of every key under
 * {@link io.cairn.storage.mvcc.HistoryKey} (user key escaped, then the inverted revision, so a
 * seek finds the newest version at or below any revision); {@code revisions} lists the changes in
 * revision order ({@link io.cairn.storage.mvcc.RevisionKey}) for watch replay, hashing and
 * compaction; {@code meta} holds the applied raft index, the current and compacted revision, the
 * compaction progress and records of other subsystems ({@link io.cairn.storage.mvcc.MetaKey}).
 * There is no in-memory index: memory is bounded by RocksDB's caches whatever the key count.
 *
 * <p>Entry points: {@link io.cairn.storage.mvcc.MvccStore} (open, read, compact, checkpoint) and
 * {@link io.cairn.storage.mvcc.WriteTxn} (the changes of one raft entry, committed atomically with
 * its index).
 */
package io.cairn.storage.mvcc;
