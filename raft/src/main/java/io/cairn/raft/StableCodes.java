package io.cairn.raft;

import java.util.Arrays;
import java.util.function.ToIntFunction;

/**
 * Lookup tables from the stable codes of the enums that reach the disk or the wire back to their
 * constants. Decoding goes through the code a constant declares, never through its position in the
 * declaration, so the table is built once from those codes and checked for clashes when the enum
 * loads: two constants with one code would be a bug that no test of either alone shows.
 */
final class StableCodes {
    private StableCodes() {}

    /** A table indexed by code; codes must be small, non-negative and distinct. */
    static <E extends Enum<E>> E[] index(E[] constants, ToIntFunction<E> code) {
        int max = -1;
        for (E e : constants) {
            max = Math.max(max, code.applyAsInt(e));
        }
        E[] table = Arrays.copyOf(constants, max + 1);
        Arrays.fill(table, null);
        for (E e : constants) {
            int c = code.applyAsInt(e);
            if (c < 0 || table[c] != null) {
                throw new ExceptionInInitializerError(e.getDeclaringClass().getSimpleName() + "." + e
                        + " has code " + c + ", which is negative or already taken");
            }
            table[c] = e;
        }
        return table;
    }

    /** The constant with {@code code}, or IllegalArgumentException naming {@code what} and the code. */
    static <E> E lookup(E[] table, int code, String what) {
        E e = code >= 0 && code < table.length ? table[code] : null;
        if (e == null) {
            throw new IllegalArgumentException("unknown " + what + " code " + code
                    + " (written by a newer Cairn version, or corrupted)");
        }
        return e;
    }
}
