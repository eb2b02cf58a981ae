package io.cairn.api;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import java.util.Locale;

/**
 * Renders generated protobuf descriptors as the one-line, proto-like text used by the
 * etcd spec tables ({@link EtcdServiceSpec}, {@link EtcdMessageSpec}), so a mismatch shows up as a readable line diff.
 * Everything that changes the wire (name, number, type, label, oneof membership,
 * packing, explicit presence, streaming, gateway binding) appears in the text.
 */
final class DescriptorRendering {

    private DescriptorRendering() {
    }

    /** {@code [oneof <name> ][repeated |optional ]<type> <name> = <number>[ [packed=false]]}. */
    static String field(FieldDescriptor field) {
        StringBuilder line = new StringBuilder();
        OneofDescriptor oneof = field.getRealContainingOneof();
        if (oneof != null) {
            line.append("oneof ").append(oneof.getName()).append(' ');
        }
        if (field.isRepeated()) {
            line.append("repeated ");
        } else if (oneof == null && field.hasPresence()
                && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            // proto3 "optional": etcd declares no such field.
            line.append("optional ");
        }
        line.append(typeName(field)).append(' ').append(field.getName()).append(" = ").append(field.getNumber());
        if (field.isRepeated() && field.isPackable() && !field.isPacked()) {
            line.append(" [packed=false]");
        }
        return line.toString();
    }

    /** {@code NAME = number}. */
    static String enumValue(EnumValueDescriptor value) {
        return value.getName() + " = " + value.getNumber();
    }

    /** {@code rpc Name([stream ]In) returns ([stream ]Out) <binding>[ also <binding>]...}. */
    static String method(MethodDescriptor method) {
        StringBuilder line = new StringBuilder("rpc ").append(method.getName())
                .append('(').append(method.isClientStreaming() ? "stream " : "")
                .append(method.getInputType().getFullName())
                .append(") returns (").append(method.isServerStreaming() ? "stream " : "")
                .append(method.getOutputType().getFullName()).append(')');
        if (method.getOptions().hasExtension(AnnotationsProto.http)) {
            HttpRule rule = method.getOptions().getExtension(AnnotationsProto.http);
            line.append(' ').append(binding(rule));
            for (HttpRule additional : rule.getAdditionalBindingsList()) {
                line.append(" also ").append(binding(additional));
            }
        }
        return line.toString();
    }

    private static String typeName(FieldDescriptor field) {
        return switch (field.getType()) {
            case MESSAGE, GROUP -> field.getMessageType().getFullName();
            case ENUM -> field.getEnumType().getFullName();
            default -> field.getType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String binding(HttpRule rule) {
        String verbAndPath = switch (rule.getPatternCase()) {
            case GET -> "get \"" + rule.getGet() + '"';
            case PUT -> "put \"" + rule.getPut() + '"';
            case POST -> "post \"" + rule.getPost() + '"';
            case DELETE -> "delete \"" + rule.getDelete() + '"';
            case PATCH -> "patch \"" + rule.getPatch() + '"';
            case CUSTOM -> rule.getCustom().getKind() + " \"" + rule.getCustom().getPath() + '"';
            case PATTERN_NOT_SET -> "no-pattern";
        };
        String body = rule.getBody().isEmpty() ? "" : " body \"" + rule.getBody() + '"';
        String responseBody = rule.getResponseBody().isEmpty() ? "" : " response_body \"" + rule.getResponseBody() + '"';
        return verbAndPath + body + responseBody;
    }
}
