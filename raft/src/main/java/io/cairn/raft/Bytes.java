package io.cairn.raft;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Rendering of opaque payloads for toString and test output: printable ASCII as text, else hex. */
final class Bytes {
    static final byte[] EMPTY = new byte[0];

    private Bytes() {}

    static String show(byte[] data) {
        if (data == null) {
            return "null";
        }
        boolean printable = true;
        for (byte b : data) {
            if (b < 0x20 || b > 0x7e) {
                printable = false;
                break;
            }
        }
        if (printable) {
            return "\"" + new String(data, StandardCharsets.US_ASCII) + "\"";
        }
        return "0x" + HexFormat.of().formatHex(data);
    }
}
