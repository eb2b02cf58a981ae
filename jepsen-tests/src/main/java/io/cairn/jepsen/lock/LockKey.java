package io.cairn.jepsen.lock;

/**
 * A key under the lock prefix as a Range at some revision returned it.
 *
 * @param key the lock key ({@code <prefix>/lock/<lease id in hex>})
 * @param createRevision its create_revision: the fencing token of whoever created it
 */
public record LockKey(String key, long createRevision) {}
