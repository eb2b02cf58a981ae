package io.cairn.storage.disk;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The file system each path is on, looked up once: finding it reads the mount table, asking it for
 * free space afterwards is one statvfs.
 */
final class FileStores {
  private static final Map<Path, FileStore> STORES = new ConcurrentHashMap<>();

  private FileStores() {}

  /** The file system of the nearest existing directory at or above {@code path}. */
  static FileStore of(Path path) throws IOException {
    Path absolute = path.toAbsolutePath().normalize();
    FileStore known = STORES.get(absolute);
    if (known != null) {
      return known;
    }
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw new NoSuchFileException(path.toString());
    }
    FileStore store = Files.getFileStore(existing);
    if (existing.equals(absolute)) {
      STORES.put(absolute, store); // a missing directory may later be created on another mount
    }
    return store;
  }
}
