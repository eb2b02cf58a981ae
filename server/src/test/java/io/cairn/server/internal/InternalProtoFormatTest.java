package io.cairn.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.cairn.api.authpb.Permission;
import io.cairn.api.authpb.UserAddOptions;
import io.cairn.api.etcdserverpb.AuthDisableRequest;
import io.cairn.api.etcdserverpb.AuthEnableRequest;
import io.cairn.api.etcdserverpb.AuthRoleAddRequest;
import io.cairn.api.etcdserverpb.AuthRoleDeleteRequest;
import io.cairn.api.etcdserverpb.AuthRoleGetRequest;
import io.cairn.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.cairn.api.etcdserverpb.AuthRoleListRequest;
import io.cairn.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.cairn.api.etcdserverpb.AuthUserAddRequest;
import io.cairn.api.etcdserverpb.AuthUserChangePasswordRequest;
import io.cairn.api.etcdserverpb.AuthUserDeleteRequest;
import io.cairn.api.etcdserverpb.AuthUserGetRequest;
import io.cairn.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.cairn.api.etcdserverpb.AuthUserListRequest;
import io.cairn.api.etcdserverpb.AuthUserRevokeRoleRequest;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.server.testing.PinnedBytes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the field numbers of internal.proto (and of the etcd requests it embeds) as they reach the
 * raft log and the member's store: every member replays LogRequests written by earlier versions
 * after a restart, and stores ClusterMembers and LeaseRecords that outlive the version that wrote
 * them. A renumbered field would silently read as another one (or as nothing), so it fails here.
 */
class InternalProtoFormatTest {
  private static final ByteString KEY = ByteString.copyFromUtf8("k");
  private static final ByteString VALUE = ByteString.copyFromUtf8("v");

  @Test
  void logRequestsHaveTheirPinnedBytes() throws Exception {
    Map<String, LogRequest> requests = new LinkedHashMap<>();
    requests.put("put", logged().setPut(PutRequest.newBuilder().setKey(KEY).setValue(VALUE).setLease(0x22)
        .setPrevKv(true)).build());
    requests.put("delete_range", logged().setDeleteRange(DeleteRangeRequest.newBuilder().setKey(KEY)
        .setRangeEnd(ByteString.copyFromUtf8("l")).setPrevKv(true)).build());
    requests.put("txn", logged().setTxn(TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(KEY).setTarget(Compare.CompareTarget.MOD)
            .setResult(Compare.CompareResult.LESS).setModRevision(9))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(KEY).setValue(VALUE)))
        .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(KEY)))).build());
    requests.put("compaction", logged().setCompaction(CompactionRequest.newBuilder().setRevision(40)
        .setPhysical(true)).build());
    requests.put("lease_grant", logged().setLeaseGrant(LeaseGrantRequest.newBuilder().setTTL(30).setID(0x22)).build());
    requests.put("lease_revoke", logged().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(0x22)).build());
    requests.put("lease_checkpoint", logged().setLeaseCheckpoint(LeaseCheckpoint.newBuilder()
        .addLeases(LeaseRemaining.newBuilder().setId(0x22).setRemainingTtl(12))).build());
    requests.put("member_attributes", logged().setMemberAttributes(member()).build());
    // etcd's Auth service, and the caller's identity every request carries while auth is on.
    requests.put("put_by_user", logged().setPut(PutRequest.newBuilder().setKey(KEY).setValue(VALUE))
        .setAuthUserName("alice").setAuthRevision(6).setFromMember(true).build());
    requests.put("auth_enable", logged().setAuthEnable(AuthEnableRequest.getDefaultInstance()).build());
    requests.put("auth_disable", logged().setAuthDisable(AuthDisableRequest.getDefaultInstance()).build());
    requests.put("authenticate", logged().setAuthenticate(AuthenticateEntry.newBuilder().setName("alice")
        .setSimpleTokenPrefix("xyz")).build());
    requests.put("auth_user_add", logged().setAuthUserAdd(AuthUserAddRequest.newBuilder().setName("alice")
        .setHashedPassword("$2a$04$h").setOptions(UserAddOptions.newBuilder().setNoPassword(true))).build());
    requests.put("auth_user_delete", logged().setAuthUserDelete(AuthUserDeleteRequest.newBuilder().setName("alice")).build());
    requests.put("auth_user_change_password", logged().setAuthUserChangePassword(
        AuthUserChangePasswordRequest.newBuilder().setName("alice").setHashedPassword("$2a$04$i")).build());
    requests.put("auth_user_grant_role", logged().setAuthUserGrantRole(AuthUserGrantRoleRequest.newBuilder()
        .setUser("alice").setRole("r")).build());
    requests.put("auth_user_get", logged().setAuthUserGet(AuthUserGetRequest.newBuilder().setName("alice")).build());
    requests.put("auth_user_revoke_role", logged().setAuthUserRevokeRole(AuthUserRevokeRoleRequest.newBuilder()
        .setName("alice").setRole("r")).build());
    requests.put("auth_role_add", logged().setAuthRoleAdd(AuthRoleAddRequest.newBuilder().setName("r")).build());
    requests.put("auth_role_grant_permission", logged().setAuthRoleGrantPermission(
        AuthRoleGrantPermissionRequest.newBuilder().setName("r").setPerm(Permission.newBuilder()
            .setPermType(Permission.Type.READWRITE).setKey(KEY).setRangeEnd(ByteString.copyFromUtf8("l")))).build());
    requests.put("auth_role_get", logged().setAuthRoleGet(AuthRoleGetRequest.newBuilder().setRole("r")).build());
    requests.put("auth_role_revoke_permission", logged().setAuthRoleRevokePermission(
        AuthRoleRevokePermissionRequest.newBuilder().setRole("r").setKey(KEY).setRangeEnd(ByteString.copyFromUtf8("l")))
        .build());
    requests.put("auth_role_delete", logged().setAuthRoleDelete(AuthRoleDeleteRequest.newBuilder().setRole("r")).build());
    requests.put("auth_user_list", logged().setAuthUserList(AuthUserListRequest.getDefaultInstance()).build());
    requests.put("auth_role_list", logged().setAuthRoleList(AuthRoleListRequest.getDefaultInstance()).build());

    PinnedBytes pinned = new PinnedBytes();
    for (Map.Entry<String, LogRequest> r : requests.entrySet()) {
      String hex = PINNED_LOG_REQUESTS.get(r.getKey());
      pinned.expect(r.getKey(), hex, r.getValue().toByteArray());
      if (hex != null) {
        assertEquals(r.getValue(), LogRequest.parseFrom(PinnedBytes.parse(hex)), r.getKey());
      }
    }
    pinned.check();
    // Every oneof case (less REQUEST_NOT_SET) once, plus put_by_user for the identity fields.
    assertEquals(LogRequest.RequestCase.values().length, requests.size(), "every kind of logged request is pinned");
  }

  @Test
  void storedAndPeerMessagesHaveTheirPinnedBytes() {
    Map<String, MessageLite> messages = new LinkedHashMap<>();
    messages.put("conf_change_context", ConfChangeContext.newBuilder().setMember(member()).setProposerId(3)
        .setRequestId(77).setIsPromote(true).setIsUpdate(false).build());
    messages.put("cluster_members", ClusterMembers.newBuilder().setClusterId(0xc1c1).addMembers(member())
        .addRemovedIds(5).build());
    messages.put("lease_record", LeaseRecord.newBuilder().setId(0x22).setTtl(30).build());
    messages.put("peer_envelope", PeerEnvelope.newBuilder().setClusterId(0xc1c1).setFromMember(1)
        .addMessages(RaftMessage.newBuilder().setType(6).setFrom(1).setTo(2).setTerm(5)).build());
    messages.put("snapshot_chunk", SnapshotChunk.newBuilder().setClusterId(0xc1c1)
        .setMessage(RaftMessage.newBuilder().setType(8).setFrom(1).setTo(2)).setFileName("000012.sst")
        .setOffset(4096).setData(ByteString.copyFromUtf8("sst")).setLastChunkOfFile(true).build());

    PinnedBytes pinned = new PinnedBytes();
    messages.forEach((name, m) -> pinned.expect(name, PINNED_OTHERS.get(name), m.toByteArray()));
    pinned.check();
  }

  private static LogRequest.Builder logged() {
    return LogRequest.newBuilder().setProposerId(3).setRequestId(77);
  }

  private static MemberAttributes member() {
    return MemberAttributes.newBuilder().setId(4).setName("m4").addPeerUrls("http://p:2380")
        .addClientUrls("http://c:2379").setIsLearner(true).build();
  }

  /** LogRequest bytes as the first release wrote them to the raft log (auth: the release that added it). */
  private static final Map<String, String> PINNED_LOG_REQUESTS = Map.ofEntries(
      Map.entry("put", "0803104d520a0a016b12017618222001"),
      Map.entry("delete_range", "0803104d5a080a016b12016c1801"),
      Map.entry("txn", "0803104d621c0a09080210021a016b3009120812060a016b1201761a050a030a016b"),
      Map.entry("compaction", "0803104d6a0408281001"),
      Map.entry("lease_grant", "0803104d7204081e1022"),
      Map.entry("lease_revoke", "0803104d7a020822"),
      Map.entry("lease_checkpoint", "0803104d8201060a040822100c"),
      Map.entry("member_attributes", "0803104d8a0126080412026d341a0d687474703a2f2f703a32333830220d687474703a2f2f633a323337392801"),
      Map.entry("put_by_user", "0803104d52060a016b120176f20105616c696365f80106800201"),
      Map.entry("auth_enable", "0803104dc20200"),
      Map.entry("auth_disable", "0803104dca0200"),
      Map.entry("authenticate", "0803104dd2020c0a05616c696365120378797a"),
      Map.entry("auth_user_add", "0803104dda02150a05616c6963651a02080122082432612430342468"),
      Map.entry("auth_user_delete", "0803104de202070a05616c696365"),
      Map.entry("auth_user_change_password", "0803104dea02110a05616c6963651a082432612430342469"),
      Map.entry("auth_user_grant_role", "0803104df2020a0a05616c696365120172"),
      Map.entry("auth_user_get", "0803104dfa02070a05616c696365"),
      Map.entry("auth_user_revoke_role", "0803104d82030a0a05616c696365120172"),
      Map.entry("auth_role_add", "0803104d8a03030a0172"),
      Map.entry("auth_role_grant_permission", "0803104d92030d0a01721208080212016b1a016c"),
      Map.entry("auth_role_get", "0803104d9a03030a0172"),
      Map.entry("auth_role_revoke_permission", "0803104da203090a017212016b1a016c"),
      Map.entry("auth_role_delete", "0803104daa03030a0172"),
      Map.entry("auth_user_list", "0803104db20300"),
      Map.entry("auth_role_list", "0803104dba0300"));
  /** Stored records and peer messages as the first release wrote them. */
  private static final Map<String, String> PINNED_OTHERS = Map.ofEntries(
      Map.entry("conf_change_context", "820126080412026d341a0d687474703a2f2f703a32333830220d687474703a2f2f633a32333739280188010390014d980101"),
      Map.entry("cluster_members", "08c183031226080412026d341a0d687474703a2f2f703a32333830220d687474703a2f2f633a3233373928011a0105"),
      Map.entry("lease_record", "0822101e"),
      Map.entry("peer_envelope", "08c1830310011a080806100118022005"),
      Map.entry("snapshot_chunk", "08c1830312060808100118021a0a3030303031322e7373742080202a037373743001"));
}
