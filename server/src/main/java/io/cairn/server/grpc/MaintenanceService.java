package io.cairn.server.grpc;

import io.cairn.api.etcdserverpb.AlarmRequest;
import io.cairn.api.etcdserverpb.AlarmResponse;
import io.cairn.api.etcdserverpb.AlarmType;
import io.cairn.api.etcdserverpb.HashKVRequest;
import io.cairn.api.etcdserverpb.HashKVResponse;
import io.cairn.api.etcdserverpb.HashRequest;
import io.cairn.api.etcdserverpb.HashResponse;
import io.cairn.api.etcdserverpb.MaintenanceGrpc;
import io.cairn.api.etcdserverpb.StatusRequest;
import io.cairn.api.etcdserverpb.StatusResponse;
import io.cairn.server.alarm.Alarms;
import io.cairn.server.config.CairnVersion;
import io.cairn.server.member.Member;
import io.cairn.server.member.MemberStatus;
import io.cairn.storage.mvcc.HashKv;
import io.cairn.storage.mvcc.MvccStore;
import io.cairn.storage.mvcc.StorageSize;
import io.grpc.stub.StreamObserver;

/**
 * etcd's Maintenance service: Status (what {@code etcdctl endpoint status} and kube-apiserver
 * read: version, db size, leader, raft index and term), HashKV and Hash for consistency checks,
 * and this member's alarms (see {@link Alarms}).
 */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
  private final Member member;
  private final MvccStore store;
  private final HeaderFactory headers;
  private final Alarms alarms;

  public MaintenanceService(Member member, MvccStore store, HeaderFactory headers, Alarms alarms) {
    this.member = member;
    this.store = store;
    this.headers = headers;
    this.alarms = alarms;
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
    Replies.unary(observer, () -> {
      MemberStatus s = member.status();
      StorageSize size = store.size();
      return StatusResponse.newBuilder()
          .setHeader(headers.header(store.currentRevision()))
          .setVersion(CairnVersion.ETCD_SERVER_VERSION)
          .setDbSize(size.dbSizeBytes())
          .setDbSizeInUse(size.dbSizeInUseBytes())
          .setLeader(s.leaderId())
          .setRaftIndex(s.commitIndex())
          .setRaftTerm(s.term())
          .setRaftAppliedIndex(s.appliedIndex())
          .setIsLearner(s.isLearner())
          .addAllErrors(alarms.statusErrors())
          .build();
    });
  }

  @Override
  public void hashKV(HashKVRequest request, StreamObserver<HashKVResponse> observer) {
    Replies.unary(observer, () -> {
      HashKv hash = store.hashKv(request.getRevision());
      return HashKVResponse.newBuilder()
          .setHeader(headers.header(store.currentRevision()))
          .setHash(hash.hash())
          .setCompactRevision(hash.compactRevision())
          .setHashRevision(hash.hashRevision())
          .build();
    });
  }

  /** etcd hashes its whole backend here; Cairn hashes the key-value history at the current revision. */
  @Override
  public void hash(HashRequest request, StreamObserver<HashResponse> observer) {
    Replies.unary(observer, () -> HashResponse.newBuilder()
        .setHeader(headers.header(store.currentRevision()))
        .setHash(store.hashKv(0).hash())
        .build());
  }

  /**
   * GET lists this member's active alarms; DEACTIVATE ({@code etcdctl alarm disarm}) clears one (or
   * all, for NONE) and lists what it cleared; ACTIVATE raises one by hand. A NOSPACE alarm whose
   * cause remains is raised again at the next space check.
   */
  @Override
  public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> observer) {
    Replies.unary(observer, () -> {
      AlarmResponse.Builder response = AlarmResponse.newBuilder().setHeader(headers.header(store.currentRevision()));
      switch (request.getAction()) {
        case ACTIVATE -> {
          if (request.getAlarm() != AlarmType.NONE) {
            alarms.raise(request.getAlarm(), "raised through Maintenance.Alarm");
          }
          response.addAllAlarms(alarms.list());
        }
        case DEACTIVATE -> response.addAllAlarms(alarms.disarm(request.getAlarm()));
        default -> response.addAllAlarms(alarms.list());
      }
      return response.build();
    });
  }
}
