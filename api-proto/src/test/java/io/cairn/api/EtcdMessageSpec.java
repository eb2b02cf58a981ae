package io.cairn.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every message and enum of etcd 3.5's API files (api/etcdserverpb/rpc.proto,
 * api/mvccpb/kv.proto, api/authpb/auth.proto, v3electionpb/v3election.proto,
 * v3lockpb/v3lock.proto), transcribed by hand from etcd's files (not from Cairn's), as the
 * spec {@link WireCompatibilityTest} holds the generated descriptors to.
 *
 * <p>A field is one line: {@code [oneof <name> ][repeated ]<type> <name> = <number>},
 * with message and enum types fully qualified; {@link DescriptorRendering#field}
 * renders a generated field the same way. An enum value is {@code NAME = number}.
 * Messages with no fields map to an empty list.
 */
final class EtcdMessageSpec {

    /** Message full name to its fields, in etcd's declaration order. */
    static final Map<String, List<String>> MESSAGES = new LinkedHashMap<>();

    /** Enum full name to its values, in etcd's declaration order. */
    static final Map<String, List<String>> ENUMS = new LinkedHashMap<>();

    private static final String HEADER = "etcdserverpb.ResponseHeader header = 1";

    static {
        // api/etcdserverpb/rpc.proto
        message("etcdserverpb.ResponseHeader",
                "uint64 cluster_id = 1", "uint64 member_id = 2", "int64 revision = 3", "uint64 raft_term = 4");

        message("etcdserverpb.RangeRequest",
                "bytes key = 1", "bytes range_end = 2", "int64 limit = 3", "int64 revision = 4",
                "etcdserverpb.RangeRequest.SortOrder sort_order = 5",
                "etcdserverpb.RangeRequest.SortTarget sort_target = 6",
                "bool serializable = 7", "bool keys_only = 8", "bool count_only = 9",
                "int64 min_mod_revision = 10", "int64 max_mod_revision = 11",
                "int64 min_create_revision = 12", "int64 max_create_revision = 13");
        enumeration("etcdserverpb.RangeRequest.SortOrder", "NONE = 0", "ASCEND = 1", "DESCEND = 2");
        enumeration("etcdserverpb.RangeRequest.SortTarget", "KEY = 0", "VERSION = 1", "CREATE = 2", "MOD = 3", "VALUE = 4");
        message("etcdserverpb.RangeResponse",
                HEADER, "repeated mvccpb.KeyValue kvs = 2", "bool more = 3", "int64 count = 4");

        message("etcdserverpb.PutRequest",
                "bytes key = 1", "bytes value = 2", "int64 lease = 3", "bool prev_kv = 4",
                "bool ignore_value = 5", "bool ignore_lease = 6");
        message("etcdserverpb.PutResponse", HEADER, "mvccpb.KeyValue prev_kv = 2");

        message("etcdserverpb.DeleteRangeRequest", "bytes key = 1", "bytes range_end = 2", "bool prev_kv = 3");
        message("etcdserverpb.DeleteRangeResponse", HEADER, "int64 deleted = 2", "repeated mvccpb.KeyValue prev_kvs = 3");

        message("etcdserverpb.RequestOp",
                "oneof request etcdserverpb.RangeRequest request_range = 1",
                "oneof request etcdserverpb.PutRequest request_put = 2",
                "oneof request etcdserverpb.DeleteRangeRequest request_delete_range = 3",
                "oneof request etcdserverpb.TxnRequest request_txn = 4");
        message("etcdserverpb.ResponseOp",
                "oneof response etcdserverpb.RangeResponse response_range = 1",
                "oneof response etcdserverpb.PutResponse response_put = 2",
                "oneof response etcdserverpb.DeleteRangeResponse response_delete_range = 3",
                "oneof response etcdserverpb.TxnResponse response_txn = 4");

        message("etcdserverpb.Compare",
                "etcdserverpb.Compare.CompareResult result = 1",
                "etcdserverpb.Compare.CompareTarget target = 2",
                "bytes key = 3",
                "oneof target_union int64 version = 4",
                "oneof target_union int64 create_revision = 5",
                "oneof target_union int64 mod_revision = 6",
                "oneof target_union bytes value = 7",
                "oneof target_union int64 lease = 8",
                "bytes range_end = 64");
        enumeration("etcdserverpb.Compare.CompareResult", "EQUAL = 0", "GREATER = 1", "LESS = 2", "NOT_EQUAL = 3");
        enumeration("etcdserverpb.Compare.CompareTarget", "VERSION = 0", "CREATE = 1", "MOD = 2", "VALUE = 3", "LEASE = 4");

        message("etcdserverpb.TxnRequest",
                "repeated etcdserverpb.Compare compare = 1",
                "repeated etcdserverpb.RequestOp success = 2",
                "repeated etcdserverpb.RequestOp failure = 3");
        message("etcdserverpb.TxnResponse", HEADER, "bool succeeded = 2", "repeated etcdserverpb.ResponseOp responses = 3");

        message("etcdserverpb.CompactionRequest", "int64 revision = 1", "bool physical = 2");
        message("etcdserverpb.CompactionResponse", HEADER);

        message("etcdserverpb.HashRequest");
        message("etcdserverpb.HashKVRequest", "int64 revision = 1");
        message("etcdserverpb.HashKVResponse", HEADER, "uint32 hash = 2", "int64 compact_revision = 3", "int64 hash_revision = 4");
        message("etcdserverpb.HashResponse", HEADER, "uint32 hash = 2");

        message("etcdserverpb.SnapshotRequest");
        message("etcdserverpb.SnapshotResponse", HEADER, "uint64 remaining_bytes = 2", "bytes blob = 3");

        message("etcdserverpb.WatchRequest",
                "oneof request_union etcdserverpb.WatchCreateRequest create_request = 1",
                "oneof request_union etcdserverpb.WatchCancelRequest cancel_request = 2",
                "oneof request_union etcdserverpb.WatchProgressRequest progress_request = 3");
        message("etcdserverpb.WatchCreateRequest",
                "bytes key = 1", "bytes range_end = 2", "int64 start_revision = 3", "bool progress_notify = 4",
                "repeated etcdserverpb.WatchCreateRequest.FilterType filters = 5",
                "bool prev_kv = 6", "int64 watch_id = 7", "bool fragment = 8");
        enumeration("etcdserverpb.WatchCreateRequest.FilterType", "NOPUT = 0", "NODELETE = 1");
        message("etcdserverpb.WatchCancelRequest", "int64 watch_id = 1");
        message("etcdserverpb.WatchProgressRequest");
        message("etcdserverpb.WatchResponse",
                HEADER, "int64 watch_id = 2", "bool created = 3", "bool canceled = 4",
                "int64 compact_revision = 5", "string cancel_reason = 6", "bool fragment = 7",
                "repeated mvccpb.Event events = 11");

        message("etcdserverpb.LeaseGrantRequest", "int64 TTL = 1", "int64 ID = 2");
        message("etcdserverpb.LeaseGrantResponse", HEADER, "int64 ID = 2", "int64 TTL = 3", "string error = 4");
        message("etcdserverpb.LeaseRevokeRequest", "int64 ID = 1");
        message("etcdserverpb.LeaseRevokeResponse", HEADER);
        message("etcdserverpb.LeaseCheckpoint", "int64 ID = 1", "int64 remaining_TTL = 2");
        message("etcdserverpb.LeaseCheckpointRequest", "repeated etcdserverpb.LeaseCheckpoint checkpoints = 1");
        message("etcdserverpb.LeaseCheckpointResponse", HEADER);
        message("etcdserverpb.LeaseKeepAliveRequest", "int64 ID = 1");
        message("etcdserverpb.LeaseKeepAliveResponse", HEADER, "int64 ID = 2", "int64 TTL = 3");
        message("etcdserverpb.LeaseTimeToLiveRequest", "int64 ID = 1", "bool keys = 2");
        message("etcdserverpb.LeaseTimeToLiveResponse",
                HEADER, "int64 ID = 2", "int64 TTL = 3", "int64 grantedTTL = 4", "repeated bytes keys = 5");
        message("etcdserverpb.LeaseLeasesRequest");
        message("etcdserverpb.LeaseStatus", "int64 ID = 1");
        message("etcdserverpb.LeaseLeasesResponse", HEADER, "repeated etcdserverpb.LeaseStatus leases = 2");

        message("etcdserverpb.Member",
                "uint64 ID = 1", "string name = 2", "repeated string peerURLs = 3",
                "repeated string clientURLs = 4", "bool isLearner = 5");
        message("etcdserverpb.MemberAddRequest", "repeated string peerURLs = 1", "bool isLearner = 2");
        message("etcdserverpb.MemberAddResponse",
                HEADER, "etcdserverpb.Member member = 2", "repeated etcdserverpb.Member members = 3");
        message("etcdserverpb.MemberRemoveRequest", "uint64 ID = 1");
        message("etcdserverpb.MemberRemoveResponse", HEADER, "repeated etcdserverpb.Member members = 2");
        message("etcdserverpb.MemberUpdateRequest", "uint64 ID = 1", "repeated string peerURLs = 2");
        message("etcdserverpb.MemberUpdateResponse", HEADER, "repeated etcdserverpb.Member members = 2");
        message("etcdserverpb.MemberListRequest", "bool linearizable = 1");
        message("etcdserverpb.MemberListResponse", HEADER, "repeated etcdserverpb.Member members = 2");
        message("etcdserverpb.MemberPromoteRequest", "uint64 ID = 1");
        message("etcdserverpb.MemberPromoteResponse", HEADER, "repeated etcdserverpb.Member members = 2");

        message("etcdserverpb.DefragmentRequest");
        message("etcdserverpb.DefragmentResponse", HEADER);
        message("etcdserverpb.MoveLeaderRequest", "uint64 targetID = 1");
        message("etcdserverpb.MoveLeaderResponse", HEADER);

        enumeration("etcdserverpb.AlarmType", "NONE = 0", "NOSPACE = 1", "CORRUPT = 2");
        message("etcdserverpb.AlarmRequest",
                "etcdserverpb.AlarmRequest.AlarmAction action = 1", "uint64 memberID = 2",
                "etcdserverpb.AlarmType alarm = 3");
        enumeration("etcdserverpb.AlarmRequest.AlarmAction", "GET = 0", "ACTIVATE = 1", "DEACTIVATE = 2");
        message("etcdserverpb.AlarmMember", "uint64 memberID = 1", "etcdserverpb.AlarmType alarm = 2");
        message("etcdserverpb.AlarmResponse", HEADER, "repeated etcdserverpb.AlarmMember alarms = 2");

        message("etcdserverpb.DowngradeRequest",
                "etcdserverpb.DowngradeRequest.DowngradeAction action = 1", "string version = 2");
        enumeration("etcdserverpb.DowngradeRequest.DowngradeAction", "VALIDATE = 0", "ENABLE = 1", "CANCEL = 2");
        message("etcdserverpb.DowngradeResponse", HEADER, "string version = 2");

        message("etcdserverpb.StatusRequest");
        message("etcdserverpb.StatusResponse",
                HEADER, "string version = 2", "int64 dbSize = 3", "uint64 leader = 4", "uint64 raftIndex = 5",
                "uint64 raftTerm = 6", "uint64 raftAppliedIndex = 7", "repeated string errors = 8",
                "int64 dbSizeInUse = 9", "bool isLearner = 10");

        message("etcdserverpb.AuthEnableRequest");
        message("etcdserverpb.AuthDisableRequest");
        message("etcdserverpb.AuthStatusRequest");
        message("etcdserverpb.AuthenticateRequest", "string name = 1", "string password = 2");
        message("etcdserverpb.AuthUserAddRequest",
                "string name = 1", "string password = 2", "authpb.UserAddOptions options = 3",
                "string hashedPassword = 4");
        message("etcdserverpb.AuthUserGetRequest", "string name = 1");
        message("etcdserverpb.AuthUserDeleteRequest", "string name = 1");
        message("etcdserverpb.AuthUserChangePasswordRequest", "string name = 1", "string password = 2", "string hashedPassword = 3");
        message("etcdserverpb.AuthUserGrantRoleRequest", "string user = 1", "string role = 2");
        message("etcdserverpb.AuthUserRevokeRoleRequest", "string name = 1", "string role = 2");
        message("etcdserverpb.AuthRoleAddRequest", "string name = 1");
        message("etcdserverpb.AuthRoleGetRequest", "string role = 1");
        message("etcdserverpb.AuthUserListRequest");
        message("etcdserverpb.AuthRoleListRequest");
        message("etcdserverpb.AuthRoleDeleteRequest", "string role = 1");
        message("etcdserverpb.AuthRoleGrantPermissionRequest", "string name = 1", "authpb.Permission perm = 2");
        message("etcdserverpb.AuthRoleRevokePermissionRequest", "string role = 1", "bytes key = 2", "bytes range_end = 3");

        message("etcdserverpb.AuthEnableResponse", HEADER);
        message("etcdserverpb.AuthDisableResponse", HEADER);
        message("etcdserverpb.AuthStatusResponse", HEADER, "bool enabled = 2", "uint64 authRevision = 3");
        message("etcdserverpb.AuthenticateResponse", HEADER, "string token = 2");
        message("etcdserverpb.AuthUserAddResponse", HEADER);
        message("etcdserverpb.AuthUserGetResponse", HEADER, "repeated string roles = 2");
        message("etcdserverpb.AuthUserDeleteResponse", HEADER);
        message("etcdserverpb.AuthUserChangePasswordResponse", HEADER);
        message("etcdserverpb.AuthUserGrantRoleResponse", HEADER);
        message("etcdserverpb.AuthUserRevokeRoleResponse", HEADER);
        message("etcdserverpb.AuthRoleAddResponse", HEADER);
        message("etcdserverpb.AuthRoleGetResponse", HEADER, "repeated authpb.Permission perm = 2");
        message("etcdserverpb.AuthRoleListResponse", HEADER, "repeated string roles = 2");
        message("etcdserverpb.AuthUserListResponse", HEADER, "repeated string users = 2");
        message("etcdserverpb.AuthRoleDeleteResponse", HEADER);
        message("etcdserverpb.AuthRoleGrantPermissionResponse", HEADER);
        message("etcdserverpb.AuthRoleRevokePermissionResponse", HEADER);

        // api/mvccpb/kv.proto
        message("mvccpb.KeyValue",
                "bytes key = 1", "int64 create_revision = 2", "int64 mod_revision = 3", "int64 version = 4",
                "bytes value = 5", "int64 lease = 6");
        message("mvccpb.Event",
                "mvccpb.Event.EventType type = 1", "mvccpb.KeyValue kv = 2", "mvccpb.KeyValue prev_kv = 3");
        enumeration("mvccpb.Event.EventType", "PUT = 0", "DELETE = 1");

        // api/authpb/auth.proto
        message("authpb.UserAddOptions", "bool no_password = 1");
        message("authpb.User",
                "bytes name = 1", "bytes password = 2", "repeated string roles = 3",
                "authpb.UserAddOptions options = 4");
        message("authpb.Permission",
                "authpb.Permission.Type permType = 1", "bytes key = 2", "bytes range_end = 3");
        enumeration("authpb.Permission.Type", "READ = 0", "WRITE = 1", "READWRITE = 2");
        message("authpb.Role", "bytes name = 1", "repeated authpb.Permission keyPermission = 2");

        // v3electionpb/v3election.proto
        message("v3electionpb.CampaignRequest", "bytes name = 1", "int64 lease = 2", "bytes value = 3");
        message("v3electionpb.CampaignResponse", HEADER, "v3electionpb.LeaderKey leader = 2");
        message("v3electionpb.LeaderKey", "bytes name = 1", "bytes key = 2", "int64 rev = 3", "int64 lease = 4");
        message("v3electionpb.LeaderRequest", "bytes name = 1");
        message("v3electionpb.LeaderResponse", HEADER, "mvccpb.KeyValue kv = 2");
        message("v3electionpb.ResignRequest", "v3electionpb.LeaderKey leader = 1");
        message("v3electionpb.ResignResponse", HEADER);
        message("v3electionpb.ProclaimRequest", "v3electionpb.LeaderKey leader = 1", "bytes value = 2");
        message("v3electionpb.ProclaimResponse", HEADER);

        // v3lockpb/v3lock.proto
        message("v3lockpb.LockRequest", "bytes name = 1", "int64 lease = 2");
        message("v3lockpb.LockResponse", HEADER, "bytes key = 2");
        message("v3lockpb.UnlockRequest", "bytes key = 1");
        message("v3lockpb.UnlockResponse", HEADER);
    }

    private EtcdMessageSpec() {
    }

    private static void message(String fullName, String... fields) {
        MESSAGES.put(fullName, List.of(fields));
    }

    private static void enumeration(String fullName, String... values) {
        ENUMS.put(fullName, List.of(values));
    }
}
