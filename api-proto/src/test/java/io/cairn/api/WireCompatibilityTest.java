package io.cairn.api;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.cairn.api.authpb.AuthProto;
import io.cairn.api.etcdserverpb.AuthGrpc;
import io.cairn.api.etcdserverpb.ClusterGrpc;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.LeaseGrpc;
import io.cairn.api.etcdserverpb.MaintenanceGrpc;
import io.cairn.api.etcdserverpb.RpcProto;
import io.cairn.api.etcdserverpb.WatchGrpc;
import io.cairn.api.mvccpb.KvProto;
import io.cairn.api.v3electionpb.ElectionGrpc;
import io.cairn.api.v3electionpb.V3ElectionProto;
import io.cairn.api.v3lockpb.LockGrpc;
import io.cairn.api.v3lockpb.V3LockProto;
import io.grpc.MethodDescriptor.MethodType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Holds the descriptors protoc and grpc-java generated from Cairn's .proto files to etcd
 * 3.5's wire contract, as transcribed in the spec tables: every service, method (full
 * gRPC name, streaming kind, request/response types, gateway path), message (every
 * field's name, number, type, label, oneof) and enum (every value's name and number).
 * Any extra, missing or differing element fails with the element's name.
 */
class WireCompatibilityTest {

    /** Our proto files, by the path etcd gives them, with etcd's proto package for each. */
    private static final Map<FileDescriptor, String> FILES_TO_PACKAGE = new LinkedHashMap<>();

    static {
        FILES_TO_PACKAGE.put(KvProto.getDescriptor(), "mvccpb");
        FILES_TO_PACKAGE.put(AuthProto.getDescriptor(), "authpb");
        FILES_TO_PACKAGE.put(RpcProto.getDescriptor(), "etcdserverpb");
        FILES_TO_PACKAGE.put(V3ElectionProto.getDescriptor(), "v3electionpb");
        FILES_TO_PACKAGE.put(V3LockProto.getDescriptor(), "v3lockpb");
    }

    private static final Pattern SPEC_METHOD =
            Pattern.compile("^rpc (\\w+)\\((stream )?[\\w.]+\\) returns \\((stream )?[\\w.]+\\)");

    @Test
    void filesHaveEtcdPathsAndPackagesInProto3WithCairnJavaPackages() {
        Map<String, String> actual = new LinkedHashMap<>();
        FILES_TO_PACKAGE.forEach((file, expectedPackage) -> {
            assertEquals(expectedPackage, file.getPackage(), file.getName());
            assertEquals("proto3", file.toProto().getSyntax(), file.getName());
            assertEquals("io.cairn.api." + expectedPackage, file.getOptions().getJavaPackage(), file.getName());
            actual.put(file.getName(), file.getPackage());
        });
        assertEquals(Map.of(
                "etcd/api/mvccpb/kv.proto", "mvccpb",
                "etcd/api/authpb/auth.proto", "authpb",
                "etcd/api/etcdserverpb/rpc.proto", "etcdserverpb",
                "etcd/server/etcdserver/api/v3election/v3electionpb/v3election.proto", "v3electionpb",
                "etcd/server/etcdserver/api/v3lock/v3lockpb/v3lock.proto", "v3lockpb"), actual);
    }

    @Test
    void everyServiceMethodMatchesEtcdIncludingStreamingAndGatewayPaths() {
        Map<String, List<String>> actual = new LinkedHashMap<>();
        for (FileDescriptor file : FILES_TO_PACKAGE.keySet()) {
            for (ServiceDescriptor service : file.getServices()) {
                actual.put(service.getFullName(), service.getMethods().stream().map(DescriptorRendering::method).toList());
            }
        }
        assertSameTable(EtcdServiceSpec.SERVICES, actual, "service");
    }

    @Test
    void grpcStubsCallEtcdFullMethodNamesWithEtcdStreamingKinds() {
        List<io.grpc.ServiceDescriptor> generated = List.of(
                KVGrpc.getServiceDescriptor(), WatchGrpc.getServiceDescriptor(), LeaseGrpc.getServiceDescriptor(),
                ClusterGrpc.getServiceDescriptor(), MaintenanceGrpc.getServiceDescriptor(),
                AuthGrpc.getServiceDescriptor(), ElectionGrpc.getServiceDescriptor(), LockGrpc.getServiceDescriptor());
        Set<String> actual = new TreeSet<>();
        for (io.grpc.ServiceDescriptor service : generated) {
            service.getMethods().forEach(m -> actual.add(m.getFullMethodName() + " " + m.getType()));
        }

        Set<String> expected = new TreeSet<>();
        EtcdServiceSpec.SERVICES.forEach((service, methods) -> {
            for (String method : methods) {
                Matcher matcher = SPEC_METHOD.matcher(method);
                assertTrue(matcher.find(), () -> "spec line not understood: " + method);
                MethodType type = methodType(matcher.group(2) != null, matcher.group(3) != null);
                expected.add(service + "/" + matcher.group(1) + " " + type);
            }
        });
        assertSameSet(expected, actual);
    }

    @Test
    void everyMessageFieldMatchesEtcdNameNumberTypeAndLabel() {
        Map<String, List<String>> actual = new LinkedHashMap<>();
        for (Descriptor message : allMessages()) {
            actual.put(message.getFullName(), message.getFields().stream().map(DescriptorRendering::field).toList());
        }
        assertSameTable(EtcdMessageSpec.MESSAGES, actual, "message");
    }

    @Test
    void everyEnumMatchesEtcdValueNamesAndNumbers() {
        Map<String, List<String>> actual = new LinkedHashMap<>();
        List<EnumDescriptor> enums = new ArrayList<>();
        for (FileDescriptor file : FILES_TO_PACKAGE.keySet()) {
            enums.addAll(file.getEnumTypes());
        }
        for (Descriptor message : allMessages()) {
            enums.addAll(message.getEnumTypes());
        }
        for (EnumDescriptor enumType : enums) {
            actual.put(enumType.getFullName(), enumType.getValues().stream().map(DescriptorRendering::enumValue).toList());
        }
        assertSameTable(EtcdMessageSpec.ENUMS, actual, "enum");
    }

    /** Top-level and nested messages of all our files, depth first. */
    private static List<Descriptor> allMessages() {
        List<Descriptor> messages = new ArrayList<>();
        for (FileDescriptor file : FILES_TO_PACKAGE.keySet()) {
            file.getMessageTypes().forEach(m -> collect(m, messages));
        }
        return messages;
    }

    private static void collect(Descriptor message, List<Descriptor> into) {
        into.add(message);
        message.getNestedTypes().forEach(nested -> collect(nested, into));
    }

    private static MethodType methodType(boolean clientStreaming, boolean serverStreaming) {
        if (clientStreaming) {
            return serverStreaming ? MethodType.BIDI_STREAMING : MethodType.CLIENT_STREAMING;
        }
        return serverStreaming ? MethodType.SERVER_STREAMING : MethodType.UNARY;
    }

    /** Same names, and for each name the same lines in the same order; reports every difference. */
    private static void assertSameTable(Map<String, List<String>> expected, Map<String, List<String>> actual,
            String kind) {
        assertSameSet(expected.keySet(), actual.keySet());
        assertAll(kind + "s differing from etcd", expected.entrySet().stream().map(entry ->
                () -> assertEquals(entry.getValue(), actual.get(entry.getKey()), kind + " " + entry.getKey())));
    }

    private static void assertSameSet(Set<String> expected, Set<String> actual) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        assertAll(
                () -> assertEquals(Set.of(), missing, "in etcd 3.5 but missing from Cairn"),
                () -> assertEquals(Set.of(), extra, "in Cairn but not in etcd 3.5"));
    }
}
