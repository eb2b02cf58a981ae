package io.cairn.storage.mvcc;

import java.nio.charset.StandardCharsets;

/**
 * A key in the {@code meta} column family, named by the subsystem that owns it. Other subsystems
 * (leases, membership, ...) keep small records there so that they are written in the same atomic
 * batch as the applied raft index (see {@link WriteTxn#putMeta}). The namespace {@code mvcc} is
 * reserved for the store's own bookkeeping.
 *
 * @param namespace the owning subsystem, lowercase letters only
 * @param name the record's name inside the namespace, non-empty
 */
public record MetaKey(String namespace, String name) {
  static final String RESERVED = "mvcc";

  /** Applied raft index and term: 16 bytes. */
  static final MetaKey APPLIED = internal("applied");
  /** Current and compacted revision: 16 bytes. */
  static final MetaKey REVISIONS = internal("revisions");
  /** Scheduled compaction target, finished compaction revision and the physical-compaction cursor. */
  static final MetaKey COMPACTION = internal("compaction");

  public MetaKey {
    if (namespace == null || !namespace.matches("[a-z]+") || name == null || name.isEmpty()) {
      throw new IllegalArgumentException("meta keys need a lowercase namespace and a name: " + namespace + "/" + name);
    }
  }

  /** A key for a subsystem other than the store itself. */
  public static MetaKey of(String namespace, String name) {
    if (RESERVED.equals(namespace)) {
      throw new IllegalArgumentException("meta namespace '" + RESERVED + "' is reserved for the MVCC store");
    }
    return new MetaKey(namespace, name);
  }

  private static MetaKey internal(String name) {
    return new MetaKey(RESERVED, name);
  }

  /** The encoded prefix every record of this key's namespace starts with. */
  byte[] namespacePrefix() {
    return (namespace + "/").getBytes(StandardCharsets.UTF_8);
  }

  byte[] encode() {
    return (namespace + "/" + name).getBytes(StandardCharsets.UTF_8);
  }
}
