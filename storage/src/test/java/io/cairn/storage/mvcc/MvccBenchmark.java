package io.cairn.storage.mvcc;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.storage.kv.KvApplier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Rough single-thread throughput of the store, for the record (not a test; run by hand with the
 * test classpath): {@code java ... io.cairn.storage.mvcc.MvccBenchmark [keys] [dir]}.
 * Puts go through {@link KvApplier} one entry each, as the apply loop does, with RocksDB's WAL
 * off (the production setting).
 */
public final class MvccBenchmark {
  private MvccBenchmark() {}

  public static void main(String[] args) throws Exception {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("cairn-mvcc-bench");
    ByteString value = ByteString.copyFrom(new byte[256]);
    try (MvccStore store = MvccStore.open(dir, MvccOptions.defaults())) {
      KvApplier applier = new KvApplier(store);
      long index = store.appliedIndex();
      long start = System.nanoTime();
      for (int i = 0; i < keys; i++) {
        applier.put(++index, 1, PutRequest.newBuilder().setKey(key(i)).setValue(value).build());
      }
      report("put (new keys, 256 B)", keys, start);
      start = System.nanoTime();
      for (int i = 0; i < keys; i++) {
        applier.put(++index, 1, PutRequest.newBuilder().setKey(key(i)).setValue(value).build());
      }
      report("put (overwrite)", keys, start);
      SplittableRandom random = new SplittableRandom(1);
      int gets = Math.min(keys, 50_000);
      start = System.nanoTime();
      for (int i = 0; i < gets; i++) {
        store.range(RangeRequest.newBuilder().setKey(key(random.nextInt(keys))).build());
      }
      report("get one key", gets, start);
      start = System.nanoTime();
      int scans = 200;
      for (int i = 0; i < scans; i++) {
        int first = random.nextInt(Math.max(1, keys - 1000));
        store.range(RangeRequest.newBuilder().setKey(key(first)).setRangeEnd(key(first + 1000)).build());
      }
      report("range of 1000 keys", scans, start);
      start = System.nanoTime();
      store.range(RangeRequest.newBuilder().setKey(key(0)).setRangeEnd(ByteString.copyFrom(new byte[] {0}))
          .setCountOnly(true).build());
      report("count all keys", 1, start);
      store.flush();
      System.out.printf("db size %d bytes, in use %d bytes%n", store.size().dbSizeBytes(), store.size().dbSizeInUseBytes());
    }
  }

  private static ByteString key(int i) {
    return ByteString.copyFrom(String.format("/registry/pods/ns/pod-%08d", i), StandardCharsets.US_ASCII);
  }

  private static void report(String what, int n, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf("%-24s %8d ops %8.2f s %10.0f ops/s %8.1f us/op%n", what, n, seconds, n / seconds, seconds * 1e6 / n);
  }
}
