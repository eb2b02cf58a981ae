package io.cairn.raft;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A single membership change. CONF_CHANGE entries carry {@link #encode()} as data; the driver decodes
 * them with {@link #decode(byte[])} and hands them to {@link RaftNode#applyConfChange(ConfChange)}.
 * The encoding is a fixed header (format version, {@link ConfChangeType#code() type code}, node id)
 * followed by the context bytes; ConfChangeFormatTest pins it, since old logs and peers carry it.
 */
public record ConfChange(ConfChangeType type, long nodeId, byte[] context) {
    private static final byte FORMAT_VERSION = 1;
    private static final int HEADER_BYTES = 1 + 1 + Long.BYTES;

    public ConfChange {
        Objects.requireNonNull(type, "type");
        if (nodeId == 0) {
            throw new IllegalArgumentException("conf change nodeId must not be 0 (ids are unsigned 64-bit; 0 means none), got " + nodeId);
        }
        context = context == null ? Bytes.EMPTY : context;
    }

    public byte[] encode() {
        return ByteBuffer.allocate(HEADER_BYTES + context.length)
                .put(FORMAT_VERSION)
                .put((byte) type.code())
                .putLong(nodeId)
                .put(context)
                .array();
    }

    /** Decodes {@link #encode()} output; throws IllegalArgumentException on anything else. */
    public static ConfChange decode(byte[] data) {
        if (data == null || data.length < HEADER_BYTES || data[0] != FORMAT_VERSION) {
            throw new IllegalArgumentException("not an encoded ConfChange (" + (data == null ? "null" : data.length + " bytes") + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        in.get();
        ConfChangeType type = ConfChangeType.fromCode(Byte.toUnsignedInt(in.get()));
        long nodeId = in.getLong();
        byte[] context = new byte[in.remaining()];
        in.get(context);
        return new ConfChange(type, nodeId, context);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfChange c && c.type == type && c.nodeId == nodeId && Arrays.equals(c.context, context);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, nodeId) * 31 + Arrays.hashCode(context);
    }

    @Override
    public String toString() {
        return type + "(" + nodeId + ")";
    }
}
