package io.cairn.jepsen.lock;

import java.util.List;

/**
 * One version of the shared resource key, read back after the run, with the lock prefix's contents at
 * the same revision (a fenced write touches only the resource key, so these are the lock keys that
 * existed when the write was applied).
 *
 * @param revision the version's mod_revision
 * @param version the key's version counter at that revision (1 for the first write)
 * @param value the stored value (a {@link FencedValue} when a fenced client wrote it)
 * @param lockKeys every key under the lock prefix at {@code revision}
 */
public record ResourceVersion(long revision, long version, String value, List<LockKey> lockKeys) {

  public ResourceVersion {
    lockKeys = List.copyOf(lockKeys);
  }
}
