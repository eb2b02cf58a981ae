/**
 * etcd's KV requests (Put, DeleteRange, Txn, Compact) executed against the MVCC store with
 * etcd's semantics, validation order and errors: {@link io.cairn.storage.kv.KvApplier} for the
 * apply loop, {@link io.cairn.storage.kv.RequestValidator} for the gRPC edge.
 */
package io.cairn.storage.kv;
