package io.cairn.server.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.AlarmMember;
import io.cairn.api.etcdserverpb.AlarmRequest;
import io.cairn.api.etcdserverpb.AlarmType;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.server.CairnServer;
import io.cairn.server.testing.EtcdClient;
import io.cairn.server.testing.SingleMember;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NOSPACE alarm as etcd applies it, raised here from a free-space probe the test controls:
 * new data (Put, Txn with a put, LeaseGrant) fails with "database space exceeded", reads, deletes
 * and delete-only Txns go on, Status reports the alarm, and disarming it works once space is back.
 */
class NoSpaceAlarmTest {
  private static final long MIB = 1L << 20;

  @TempDir Path dir;

  @Test
  void aVolumeBelowTheReserveRefusesNewDataButServesReadsAndDeletes() {
    AtomicLong free = new AtomicLong(64 * MIB);
    SingleMember solo = new SingleMember(dir.resolve("data"), 64 * MIB);
    try (CairnServer server = solo.start(path -> free.get(), (what, cause) -> { });
        EtcdClient client = new EtcdClient(solo.endpoint())) {
      // 64 MiB free: 8 MiB segments and 2 MiB memtables, so new data stops below 8 + 3 * 2 MiB.
      assertEquals(8 * MIB, server.config().walSegmentBytes());
      client.put("a", "1");
      client.put("b", "2");
      assertTrue(alarms(client).isEmpty());

      free.set(13 * MIB);
      assertNoSpace(() -> client.put("c", "3"));
      assertNoSpace(() -> client.kvWithDeadline().txn(TxnRequest.newBuilder()
          .addCompare(Compare.newBuilder().setKey(EtcdClient.bytes("a")).setTarget(Compare.CompareTarget.VERSION)
              .setResult(Compare.CompareResult.EQUAL).setVersion(1))
          .addFailure(RequestOp.newBuilder().setRequestPut(put("c", "3"))).build()));
      assertNoSpace(() -> client.leaseWithDeadline().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(10).build()));
      assertEquals(List.of(AlarmMember.newBuilder().setMemberID(server.member().memberId())
          .setAlarm(AlarmType.NOSPACE).build()), alarms(client));
      assertEquals(List.of("memberID:" + Long.toUnsignedString(server.member().memberId()) + " alarm:NOSPACE "),
          client.status().getErrorsList());

      assertEquals("1", client.get("a").getKvs(0).getValue().toStringUtf8());
      assertEquals(1, client.kvWithDeadline().deleteRange(DeleteRangeRequest.newBuilder()
          .setKey(EtcdClient.bytes("a")).build()).getDeleted());
      assertEquals(1, client.kvWithDeadline().txn(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder()
          .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(EtcdClient.bytes("b")))).build())
          .getResponses(0).getResponseDeleteRange().getDeleted());

      // Disarmed while the volume is still short: the next write raises it again.
      assertEquals(1, disarm(client).size());
      assertNoSpace(() -> client.put("c", "3"));

      free.set(40 * MIB);
      disarm(client);
      assertTrue(alarms(client).isEmpty());
      client.put("c", "3");
      assertFalse(server.spaceMonitor().check());
      assertTrue(client.status().getErrorsList().isEmpty());
    }
  }

  @Test
  void aStoreOverTheBackendQuotaRaisesNospace() {
    SingleMember solo = new SingleMember(dir.resolve("data"), 4 * MIB, b -> b.quotaBackendBytes(1));
    try (CairnServer server = solo.start(path -> 1L << 40, (what, cause) -> { });
        EtcdClient client = new EtcdClient(solo.endpoint())) {
      assertTrue(server.spaceMonitor().check(), "any store is over a 1-byte quota");
      assertNoSpace(() -> client.put("b", "2"));
      assertEquals(1, disarm(client).size());
      assertTrue(server.spaceMonitor().check(), "raised again while the store is still over its quota");
    }
  }

  private static PutRequest put(String key, String value) {
    return PutRequest.newBuilder().setKey(EtcdClient.bytes(key)).setValue(EtcdClient.bytes(value)).build();
  }

  private static List<AlarmMember> alarms(EtcdClient client) {
    return client.maintenance.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build())
        .getAlarmsList();
  }

  /** As {@code etcdctl alarm disarm}: every listed alarm deactivated. */
  private static List<AlarmMember> disarm(EtcdClient client) {
    return client.maintenance.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.DEACTIVATE)
        .setAlarm(AlarmType.NOSPACE).build()).getAlarmsList();
  }

  private static void assertNoSpace(Runnable request) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, request::run);
    assertTrue(EtcdError.NO_SPACE.matches(e.getStatus()), e.toString());
    assertEquals("etcdserver: mvcc: database space exceeded", e.getStatus().getDescription());
  }
}
