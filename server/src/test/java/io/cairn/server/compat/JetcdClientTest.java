package io.cairn.server.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.member.MemberStatus;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jetcd 0.8.7, the Java etcd client, against a one-member Cairn through its public API: KV put,
 * get with options, delete, txn (incl. a nested one), compact and the errors it surfaces.
 */
class JetcdClientTest {
  @TempDir static Path dir;
  private static EmbeddedCluster cairn;
  private static Client client;
  private static KV kv;

  @BeforeAll
  static void start() {
    cairn = EmbeddedCluster.builder(1).dataDir(dir).start();
    cairn.awaitLeader(Duration.ofSeconds(10));
    client = Client.builder().endpoints(cairn.clientEndpoints().split(",")).build();
    kv = client.getKVClient();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cairn != null) {
      cairn.close();
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static String text(ByteSequence b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }

  /** The gRPC status of a failed call: jetcd 0.8 hands etcd's status through unwrapped. */
  private static Status failure(CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
    return assertInstanceOf(StatusRuntimeException.class, e.getCause()).getStatus();
  }

  @Test
  void putGetAndDeleteWithOptions() throws Exception {
    MemberStatus status = cairn.member(0).member().status();
    PutResponse first = await(kv.put(bytes("j/b"), bytes("1")));
    assertEquals(status.clusterId(), first.getHeader().getClusterId());
    assertEquals(status.memberId(), first.getHeader().getMemberId());
    long created = first.getHeader().getRevision();
    PutResponse second = await(kv.put(bytes("j/b"), bytes("2"), PutOption.builder().withPrevKV().build()));
    assertEquals(created + 1, second.getHeader().getRevision());
    assertTrue(second.hasPrevKv());
    assertEquals("1", text(second.getPrevKv().getValue()));
    await(kv.put(bytes("j/a"), bytes("3")));
    await(kv.put(bytes("j/c"), bytes("0")));

    GetResponse one = await(kv.get(bytes("j/b")));
    KeyValue b = one.getKvs().get(0);
    assertEquals(List.of("j/b", "2", created, created + 1, 2L),
        List.of(text(b.getKey()), text(b.getValue()), b.getCreateRevision(), b.getModRevision(), b.getVersion()));

    GetResponse byValue = await(kv.get(bytes("j/"), GetOption.builder().isPrefix(true)
        .withSortField(GetOption.SortTarget.VALUE).withSortOrder(GetOption.SortOrder.DESCEND).withLimit(2).build()));
    assertEquals(List.of("j/a", "j/b"), byValue.getKvs().stream().map(kv -> text(kv.getKey())).toList());
    assertTrue(byValue.isMore());
    assertEquals(3, byValue.getCount());

    GetResponse counted = await(kv.get(bytes("j/"), GetOption.builder().isPrefix(true).withCountOnly(true).build()));
    assertEquals(3, counted.getCount());
    assertTrue(counted.getKvs().isEmpty());

    GetResponse old = await(kv.get(bytes("j/b"), GetOption.builder().withRevision(created).build()));
    assertEquals("1", text(old.getKvs().get(0).getValue()));

    DeleteResponse deleted = await(kv.delete(bytes("j/"), DeleteOption.builder().isPrefix(true).withPrevKV(true).build()));
    assertEquals(3, deleted.getDeleted());
    assertEquals(List.of("3", "2", "0"), deleted.getPrevKvs().stream().map(kv -> text(kv.getValue())).toList());
    assertEquals(0, await(kv.get(bytes("j/"), GetOption.builder().isPrefix(true).build())).getCount());
  }

  @Test
  void txnTakesTheBranchItsComparesChooseIncludingNested() throws Exception {
    long created = await(kv.put(bytes("t/k"), bytes("v1"))).getHeader().getRevision();
    TxnResponse swapped = await(kv.txn()
        .If(new Cmp(bytes("t/k"), Cmp.Op.EQUAL, CmpTarget.value(bytes("v1"))),
            new Cmp(bytes("t/k"), Cmp.Op.EQUAL, CmpTarget.createRevision(created)),
            new Cmp(bytes("t/k"), Cmp.Op.LESS, CmpTarget.version(2)))
        .Then(Op.put(bytes("t/k"), bytes("v2"), PutOption.DEFAULT),
            Op.get(bytes("t/k"), GetOption.DEFAULT),
            Op.txn(new Cmp[] {new Cmp(bytes("t/k"), Cmp.Op.GREATER, CmpTarget.modRevision(created))},
                new Op[] {Op.put(bytes("t/nested"), bytes("later"), PutOption.DEFAULT)},
                new Op[] {Op.put(bytes("t/nested"), bytes("before"), PutOption.DEFAULT)}))
        .Else(Op.put(bytes("t/k"), bytes("never"), PutOption.DEFAULT))
        .commit());
    assertTrue(swapped.isSucceeded());
    assertEquals(1, swapped.getPutResponses().size());
    assertEquals("v2", text(swapped.getGetResponses().get(0).getKvs().get(0).getValue()), "a txn reads its own put");
    // The nested txn compares against the store as it was before the outer txn: mod = created.
    assertFalse(swapped.getTxnResponses().get(0).isSucceeded());
    assertEquals("before", text(await(kv.get(bytes("t/nested"))).getKvs().get(0).getValue()));

    TxnResponse refused = await(kv.txn()
        .If(new Cmp(bytes("t/k"), Cmp.Op.EQUAL, CmpTarget.value(bytes("v1"))))
        .Then(Op.put(bytes("t/k"), bytes("never"), PutOption.DEFAULT))
        .Else(Op.get(bytes("t/k"), GetOption.DEFAULT))
        .commit());
    assertFalse(refused.isSucceeded());
    assertEquals("v2", text(refused.getGetResponses().get(0).getKvs().get(0).getValue()));
    assertEquals(swapped.getHeader().getRevision(), refused.getHeader().getRevision(), "a read-only branch writes nothing");

    Status duplicate = failure(kv.txn()
        .Then(Op.put(bytes("t/d"), bytes("1"), PutOption.DEFAULT), Op.put(bytes("t/d"), bytes("2"), PutOption.DEFAULT))
        .commit());
    assertEquals(Status.Code.INVALID_ARGUMENT, duplicate.getCode());
    assertEquals("etcdserver: duplicate key given in txn request", duplicate.getDescription());
  }

  @Test
  void compactHidesOlderRevisions() throws Exception {
    long first = await(kv.put(bytes("c/k"), bytes("v1"))).getHeader().getRevision();
    long second = await(kv.put(bytes("c/k"), bytes("v2"))).getHeader().getRevision();
    await(kv.compact(second, CompactOption.builder().withCompactPhysical(true).build()));

    Status compacted = failure(kv.get(bytes("c/k"), GetOption.builder().withRevision(first).build()));
    assertEquals(Status.Code.OUT_OF_RANGE, compacted.getCode());
    assertEquals("etcdserver: mvcc: required revision has been compacted", compacted.getDescription());
    assertEquals("v2", text(await(kv.get(bytes("c/k"), GetOption.builder().withRevision(second).build()))
        .getKvs().get(0).getValue()));

    Status future = failure(kv.compact(second + 1000));
    assertEquals(Status.Code.OUT_OF_RANGE, future.getCode());
    assertEquals("etcdserver: mvcc: required revision is a future revision", future.getDescription());
  }
}
