package io.cairn.server.alarm;

import io.cairn.server.member.FatalErrorHandler;
import io.cairn.storage.disk.FreeSpace;
import io.cairn.storage.disk.NoSpaceLeft;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A fatal storage failure that is a full disk (ENOSPC, from the WAL or RocksDB) still stops the
 * member, as every storage I/O failure does, but says so: the failure's description names the
 * member's directories and the bytes free on each, and what to do. Every other failure passes
 * through unchanged.
 */
public final class DiskFullFailure implements FatalErrorHandler {
  private final FatalErrorHandler next;
  private final FreeSpace freeSpace;
  private final List<Path> directories;

  public DiskFullFailure(FatalErrorHandler next, FreeSpace freeSpace, List<Path> directories) {
    this.next = next;
    this.freeSpace = freeSpace;
    this.directories = List.copyOf(directories);
  }

  @Override
  public void fail(String what, Throwable cause) {
    if (!NoSpaceLeft.causedBy(cause)) {
      next.fail(what, cause);
      return;
    }
    next.fail(what + ": " + describe(freeSpace, directories) + "; free space, then restart the member (acknowledged writes are in its WAL)",
        cause);
  }

  /** "no space left on device (free: /data/member/wal 0 bytes, /data/member/db 4096 bytes)". */
  public static String describe(FreeSpace freeSpace, List<Path> directories) {
    return directories.stream().map(d -> d + " " + freeSpace.usableBytes(d) + " bytes")
        .collect(Collectors.joining(", ", "no space left on device (free: ", ")"));
  }
}
