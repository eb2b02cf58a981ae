package io.cairn.storage.mvcc;

/**
 * Sizes for Maintenance.Status: {@code dbSizeBytes} is what the store occupies (SST files plus
 * memtables), {@code dbSizeInUseBytes} RocksDB's estimate of the live data in it (what remains
 * after garbage is compacted away).
 */
public record StorageSize(long dbSizeBytes, long dbSizeInUseBytes) {}
