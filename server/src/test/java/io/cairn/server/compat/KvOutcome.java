package io.cairn.server.compat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.server.testing.EtcdClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;

/**
 * What one server answered to one KV (or lease) request, in a form two servers' answers can be compared in:
 * either the response with every {@link ResponseHeader}'s cluster_id, member_id and raft_term
 * cleared (they name the cluster, not the data; the revision stays), or the gRPC status code and
 * exact message of the error.
 *
 * <p>Invariant: exactly one of {@code response} and {@code code} is non-null.
 */
record KvOutcome(Message response, Status.Code code, String message) {

  /** Sends {@code request} (Put, Range, DeleteRange, Txn, Compaction, LeaseGrant or LeaseRevoke) to {@code client}. */
  static KvOutcome call(EtcdClient client, Message request) {
    KVGrpc.KVBlockingStub kv = client.kvWithDeadline();
    try {
      Message response;
      if (request instanceof PutRequest put) {
        response = kv.put(put);
      } else if (request instanceof RangeRequest range) {
        response = kv.range(range);
      } else if (request instanceof DeleteRangeRequest delete) {
        response = kv.deleteRange(delete);
      } else if (request instanceof TxnRequest txn) {
        response = kv.txn(txn);
      } else if (request instanceof CompactionRequest compaction) {
        response = kv.compact(compaction);
      } else if (request instanceof LeaseGrantRequest grant) {
        response = client.leaseWithDeadline().leaseGrant(grant);
      } else if (request instanceof LeaseRevokeRequest revoke) {
        response = client.leaseWithDeadline().leaseRevoke(revoke);
      } else {
        throw new IllegalArgumentException("not a KV request: " + request.getClass());
      }
      return new KvOutcome(withoutHeaderIds(response), null, null);
    } catch (StatusRuntimeException e) {
      return new KvOutcome(null, e.getStatus().getCode(), e.getStatus().getDescription());
    }
  }

  boolean failed() {
    return code != null;
  }

  /** The revision a successful response reports in its top-level header. */
  long revision() {
    if (failed()) {
      throw new IllegalStateException("an error has no revision: " + this);
    }
    FieldDescriptor header = response.getDescriptorForType().findFieldByName("header");
    return ((ResponseHeader) response.getField(header)).getRevision();
  }

  /** A copy of {@code message} with cluster_id, member_id and raft_term cleared in every header, at any depth. */
  static Message withoutHeaderIds(Message message) {
    if (message instanceof ResponseHeader header) {
      return header.toBuilder().clearClusterId().clearMemberId().clearRaftTerm().build();
    }
    Message.Builder builder = message.toBuilder();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      if (descriptor.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (descriptor.isRepeated()) {
        List<?> elements = (List<?>) field.getValue();
        for (int i = 0; i < elements.size(); i++) {
          builder.setRepeatedField(descriptor, i, withoutHeaderIds((Message) elements.get(i)));
        }
      } else {
        builder.setField(descriptor, withoutHeaderIds((Message) field.getValue()));
      }
    }
    return builder.build();
  }

  @Override
  public String toString() {
    return failed()
        ? "error " + code + ": " + message
        : response.getDescriptorForType().getName() + " {" + TextFormat.printer().shortDebugString(response) + "}";
  }
}
