package io.cairn.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Pins the bytes a CONF_CHANGE entry carries. Those entries live in every member's log and travel to
 * members of other versions during a rolling upgrade, so a member must decode what any earlier
 * version encoded: a change of the type codes or the header fails here.
 */
class ConfChangeFormatTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void eachChangeTypeHasItsPinnedBytes() {
        // format version (1) | type code (1) | node id (8) | context
        assertPinned("01" + "00" + "000000000000000a" + "637478", new ConfChange(ConfChangeType.ADD_NODE, 10, ctx()));
        assertPinned("01" + "01" + "000000000000000b" + "637478", new ConfChange(ConfChangeType.ADD_LEARNER_NODE, 11, ctx()));
        assertPinned("01" + "02" + "fffffffffffffffe", new ConfChange(ConfChangeType.REMOVE_NODE, -2L, null));
    }

    @Test
    void anUnknownChangeTypeIsRefusedNamingItsCode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfChange.decode(HEX.parseHex("01" + "c8" + "000000000000000a")));
        assertTrue(e.getMessage().contains("conf change type code 200"), e.getMessage());
    }

    private static void assertPinned(String hex, ConfChange change) {
        assertEquals(hex, HEX.formatHex(change.encode()));
        assertEquals(change, ConfChange.decode(HEX.parseHex(hex)));
    }

    private static byte[] ctx() {
        return new byte[] {'c', 't', 'x'};
    }
}
