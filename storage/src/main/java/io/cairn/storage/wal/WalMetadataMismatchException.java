package io.cairn.storage.wal;

import java.io.IOException;

/**
 * The log on disk belongs to another member or another cluster than the one opening it. Replaying it
 * would mix two raft groups' histories, so open refuses.
 */
public final class WalMetadataMismatchException extends IOException {
  private static final long serialVersionUID = 1L;

  public WalMetadataMismatchException(WalMetadata expected, WalMetadata found) {
    super("wal belongs to member " + Long.toHexString(found.memberId())
        + " of cluster " + Long.toHexString(found.clusterId())
        + ", expected member " + Long.toHexString(expected.memberId())
        + " of cluster " + Long.toHexString(expected.clusterId()));
  }
}
