package io.cairn.storage.disk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

class NoSpaceLeftTest {
  @Test
  void recognisesTheJdksEnospcAnywhereInTheCauseChain() {
    IOException jdk = new IOException("No space left on device");
    assertTrue(NoSpaceLeft.causedBy(jdk));
    assertTrue(NoSpaceLeft.causedBy(new IllegalStateException("raft loop failed",
        new UncheckedIOException("raft log write failed", jdk))));
  }

  @Test
  void recognisesRocksDbsNoSpaceSubcode() {
    RocksDBException rocks = new RocksDBException("IO error: append failed",
        new Status(Status.Code.IOError, Status.SubCode.NoSpace, "append failed"));
    assertTrue(NoSpaceLeft.causedBy(new RuntimeException("apply failed", rocks)));
  }

  @Test
  void otherIoErrorsAreNotEnospc() {
    assertFalse(NoSpaceLeft.causedBy(new IOException("Input/output error")));
    assertFalse(NoSpaceLeft.causedBy(new RocksDBException("IO error",
        new Status(Status.Code.IOError, Status.SubCode.None, "fsync failed"))));
    assertFalse(NoSpaceLeft.causedBy(new IllegalStateException()));
  }
}
