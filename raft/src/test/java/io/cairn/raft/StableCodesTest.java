package io.cairn.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * The enums that reach the disk or the wire decode through their declared codes: every constant
 * round-trips, and a code no constant has is refused with its number (what a newer version may send).
 * The values of the codes themselves are pinned by the format tests (ConfChangeFormatTest, and the
 * WAL and peer message tests of the storage and server modules).
 */
class StableCodesTest {
    @Test
    void everyConstantRoundTripsThroughItsCode() {
        assertRoundTrips(MessageType.values(), MessageType::code, MessageType::fromCode);
        assertRoundTrips(EntryType.values(), EntryType::code, EntryType::fromCode);
        assertRoundTrips(ConfChangeType.values(), ConfChangeType::code, ConfChangeType::fromCode);
    }

    @Test
    void codesNoConstantHasAreRefusedWithTheirNumber() {
        assertRefused(-1, MessageType::fromCode, "raft message type code -1");
        assertRefused(19, MessageType::fromCode, "raft message type code 19");
        assertRefused(2, EntryType::fromCode, "raft entry type code 2");
        assertRefused(3, ConfChangeType::fromCode, "conf change type code 3");
    }

    @Test
    void twoConstantsWithOneCodeAreRefusedWhenTheTableIsBuilt() {
        ExceptionInInitializerError e = assertThrows(ExceptionInInitializerError.class,
                () -> StableCodes.index(EntryType.values(), t -> 0));
        assertTrue(e.getMessage().contains("CONF_CHANGE has code 0"), e.getMessage());
    }

    private static <E> void assertRoundTrips(E[] constants, ToIntFunction<E> code, IntFunction<E> fromCode) {
        for (E e : constants) {
            assertEquals(e, fromCode.apply(code.applyAsInt(e)));
        }
    }

    private static void assertRefused(int code, IntFunction<?> fromCode, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fromCode.apply(code));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
