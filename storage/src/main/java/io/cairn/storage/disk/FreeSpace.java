package io.cairn.storage.disk;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How many bytes a process may still write on the file system holding a path. An interface so
 * tests can pretend a disk is nearly full (or roomy) without making one.
 */
@FunctionalInterface
public interface FreeSpace {
  /**
   * The file system's own answer (one statvfs call; the file system of each path is looked up
   * once), for the nearest existing directory at or above the path. Cheap enough for every write.
   */
  FreeSpace SYSTEM = FreeSpace::usableBytesOnDisk;

  /** Usable bytes on the file system holding {@code path}, or -1 if it cannot be asked. */
  long usableBytes(Path path);

  private static long usableBytesOnDisk(Path path) {
    try {
      return FileStores.of(path).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }
}
