package io.cairn.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gRPC services of etcd 3.5, transcribed by hand from etcd's proto files
 * (api/etcdserverpb/rpc.proto, v3electionpb/v3election.proto, v3lockpb/v3lock.proto),
 * independently of Cairn's own .proto files, so that {@link WireCompatibilityTest}
 * can compare what protoc generated from ours against etcd's contract.
 *
 * <p>Each method is one line in proto-like syntax: the method, its request and response
 * types (fully qualified, {@code stream} for a streamed side) and its gRPC-gateway
 * bindings. {@link DescriptorRendering#method} renders a generated descriptor the same way.
 */
final class EtcdServiceSpec {

    /** Service full name to its methods, in etcd's declaration order. */
    static final Map<String, List<String>> SERVICES = new LinkedHashMap<>();

    static {
        service("etcdserverpb.KV",
                "rpc Range(etcdserverpb.RangeRequest) returns (etcdserverpb.RangeResponse) post \"/v3/kv/range\" body \"*\"",
                "rpc Put(etcdserverpb.PutRequest) returns (etcdserverpb.PutResponse) post \"/v3/kv/put\" body \"*\"",
                "rpc DeleteRange(etcdserverpb.DeleteRangeRequest) returns (etcdserverpb.DeleteRangeResponse) post \"/v3/kv/deleterange\" body \"*\"",
                "rpc Txn(etcdserverpb.TxnRequest) returns (etcdserverpb.TxnResponse) post \"/v3/kv/txn\" body \"*\"",
                "rpc Compact(etcdserverpb.CompactionRequest) returns (etcdserverpb.CompactionResponse) post \"/v3/kv/compaction\" body \"*\"");
        service("etcdserverpb.Watch",
                "rpc Watch(stream etcdserverpb.WatchRequest) returns (stream etcdserverpb.WatchResponse) post \"/v3/watch\" body \"*\"");
        service("etcdserverpb.Lease",
                "rpc LeaseGrant(etcdserverpb.LeaseGrantRequest) returns (etcdserverpb.LeaseGrantResponse) post \"/v3/lease/grant\" body \"*\"",
                "rpc LeaseRevoke(etcdserverpb.LeaseRevokeRequest) returns (etcdserverpb.LeaseRevokeResponse) post \"/v3/lease/revoke\" body \"*\""
                        + " also post \"/v3/kv/lease/revoke\" body \"*\"",
                "rpc LeaseKeepAlive(stream etcdserverpb.LeaseKeepAliveRequest) returns (stream etcdserverpb.LeaseKeepAliveResponse) post \"/v3/lease/keepalive\" body \"*\"",
                "rpc LeaseTimeToLive(etcdserverpb.LeaseTimeToLiveRequest) returns (etcdserverpb.LeaseTimeToLiveResponse) post \"/v3/lease/timetolive\" body \"*\""
                        + " also post \"/v3/kv/lease/timetolive\" body \"*\"",
                "rpc LeaseLeases(etcdserverpb.LeaseLeasesRequest) returns (etcdserverpb.LeaseLeasesResponse) post \"/v3/lease/leases\" body \"*\""
                        + " also post \"/v3/kv/lease/leases\" body \"*\"");
        service("etcdserverpb.Cluster",
                "rpc MemberAdd(etcdserverpb.MemberAddRequest) returns (etcdserverpb.MemberAddResponse) post \"/v3/cluster/member/add\" body \"*\"",
                "rpc MemberRemove(etcdserverpb.MemberRemoveRequest) returns (etcdserverpb.MemberRemoveResponse) post \"/v3/cluster/member/remove\" body \"*\"",
                "rpc MemberUpdate(etcdserverpb.MemberUpdateRequest) returns (etcdserverpb.MemberUpdateResponse) post \"/v3/cluster/member/update\" body \"*\"",
                "rpc MemberList(etcdserverpb.MemberListRequest) returns (etcdserverpb.MemberListResponse) post \"/v3/cluster/member/list\" body \"*\"",
                "rpc MemberPromote(etcdserverpb.MemberPromoteRequest) returns (etcdserverpb.MemberPromoteResponse) post \"/v3/cluster/member/promote\" body \"*\"");
        service("etcdserverpb.Maintenance",
                "rpc Alarm(etcdserverpb.AlarmRequest) returns (etcdserverpb.AlarmResponse) post \"/v3/maintenance/alarm\" body \"*\"",
                "rpc Status(etcdserverpb.StatusRequest) returns (etcdserverpb.StatusResponse) post \"/v3/maintenance/status\" body \"*\"",
                "rpc Defragment(etcdserverpb.DefragmentRequest) returns (etcdserverpb.DefragmentResponse) post \"/v3/maintenance/defragment\" body \"*\"",
                "rpc Hash(etcdserverpb.HashRequest) returns (etcdserverpb.HashResponse) post \"/v3/maintenance/hash\" body \"*\"",
                // etcd 3.5 binds HashKV to the same gateway path as Hash.
                "rpc HashKV(etcdserverpb.HashKVRequest) returns (etcdserverpb.HashKVResponse) post \"/v3/maintenance/hash\" body \"*\"",
                "rpc Snapshot(etcdserverpb.SnapshotRequest) returns (stream etcdserverpb.SnapshotResponse) post \"/v3/maintenance/snapshot\" body \"*\"",
                "rpc MoveLeader(etcdserverpb.MoveLeaderRequest) returns (etcdserverpb.MoveLeaderResponse) post \"/v3/maintenance/transfer-leadership\" body \"*\"",
                "rpc Downgrade(etcdserverpb.DowngradeRequest) returns (etcdserverpb.DowngradeResponse) post \"/v3/maintenance/downgrade\" body \"*\"");
        service("etcdserverpb.Auth",
                "rpc AuthEnable(etcdserverpb.AuthEnableRequest) returns (etcdserverpb.AuthEnableResponse) post \"/v3/auth/enable\" body \"*\"",
                "rpc AuthDisable(etcdserverpb.AuthDisableRequest) returns (etcdserverpb.AuthDisableResponse) post \"/v3/auth/disable\" body \"*\"",
                "rpc AuthStatus(etcdserverpb.AuthStatusRequest) returns (etcdserverpb.AuthStatusResponse) post \"/v3/auth/status\" body \"*\"",
                "rpc Authenticate(etcdserverpb.AuthenticateRequest) returns (etcdserverpb.AuthenticateResponse) post \"/v3/auth/authenticate\" body \"*\"",
                "rpc UserAdd(etcdserverpb.AuthUserAddRequest) returns (etcdserverpb.AuthUserAddResponse) post \"/v3/auth/user/add\" body \"*\"",
                "rpc UserGet(etcdserverpb.AuthUserGetRequest) returns (etcdserverpb.AuthUserGetResponse) post \"/v3/auth/user/get\" body \"*\"",
                "rpc UserList(etcdserverpb.AuthUserListRequest) returns (etcdserverpb.AuthUserListResponse) post \"/v3/auth/user/list\" body \"*\"",
                "rpc UserDelete(etcdserverpb.AuthUserDeleteRequest) returns (etcdserverpb.AuthUserDeleteResponse) post \"/v3/auth/user/delete\" body \"*\"",
                "rpc UserChangePassword(etcdserverpb.AuthUserChangePasswordRequest) returns (etcdserverpb.AuthUserChangePasswordResponse) post \"/v3/auth/user/changepw\" body \"*\"",
                "rpc UserGrantRole(etcdserverpb.AuthUserGrantRoleRequest) returns (etcdserverpb.AuthUserGrantRoleResponse) post \"/v3/auth/user/grant\" body \"*\"",
                "rpc UserRevokeRole(etcdserverpb.AuthUserRevokeRoleRequest) returns (etcdserverpb.AuthUserRevokeRoleResponse) post \"/v3/auth/user/revoke\" body \"*\"",
                "rpc RoleAdd(etcdserverpb.AuthRoleAddRequest) returns (etcdserverpb.AuthRoleAddResponse) post \"/v3/auth/role/add\" body \"*\"",
                "rpc RoleGet(etcdserverpb.AuthRoleGetRequest) returns (etcdserverpb.AuthRoleGetResponse) post \"/v3/auth/role/get\" body \"*\"",
                "rpc RoleList(etcdserverpb.AuthRoleListRequest) returns (etcdserverpb.AuthRoleListResponse) post \"/v3/auth/role/list\" body \"*\"",
                "rpc RoleDelete(etcdserverpb.AuthRoleDeleteRequest) returns (etcdserverpb.AuthRoleDeleteResponse) post \"/v3/auth/role/delete\" body \"*\"",
                "rpc RoleGrantPermission(etcdserverpb.AuthRoleGrantPermissionRequest) returns (etcdserverpb.AuthRoleGrantPermissionResponse) post \"/v3/auth/role/grant\" body \"*\"",
                "rpc RoleRevokePermission(etcdserverpb.AuthRoleRevokePermissionRequest) returns (etcdserverpb.AuthRoleRevokePermissionResponse) post \"/v3/auth/role/revoke\" body \"*\"");
        service("v3electionpb.Election",
                "rpc Campaign(v3electionpb.CampaignRequest) returns (v3electionpb.CampaignResponse) post \"/v3/election/campaign\" body \"*\"",
                "rpc Proclaim(v3electionpb.ProclaimRequest) returns (v3electionpb.ProclaimResponse) post \"/v3/election/proclaim\" body \"*\"",
                "rpc Leader(v3electionpb.LeaderRequest) returns (v3electionpb.LeaderResponse) post \"/v3/election/leader\" body \"*\"",
                "rpc Observe(v3electionpb.LeaderRequest) returns (stream v3electionpb.LeaderResponse) post \"/v3/election/observe\" body \"*\"",
                "rpc Resign(v3electionpb.ResignRequest) returns (v3electionpb.ResignResponse) post \"/v3/election/resign\" body \"*\"");
        service("v3lockpb.Lock",
                "rpc Lock(v3lockpb.LockRequest) returns (v3lockpb.LockResponse) post \"/v3/lock/lock\" body \"*\"",
                "rpc Unlock(v3lockpb.UnlockRequest) returns (v3lockpb.UnlockResponse) post \"/v3/lock/unlock\" body \"*\"");
    }

    private EtcdServiceSpec() {
    }

    private static void service(String fullName, String... methods) {
        SERVICES.put(fullName, List.of(methods));
    }
}
