package io.cairn.raft;

/**
 * What a log entry carries: application data, or an encoded {@link ConfChange}.
 *
 * <p>The {@link #code()} is the number stored in the WAL and sent to peers. Logs outlive the version
 * that wrote them and peers may run another version, so a code never changes and is never reused.
 */
public enum EntryType {
    NORMAL(0),
    CONF_CHANGE(1);

    private static final EntryType[] BY_CODE = StableCodes.index(values(), EntryType::code);

    private final int code;

    EntryType(int code) {
        this.code = code;
    }

    /** The stable number of this type on disk and on the wire. */
    public int code() {
        return code;
    }

    /**
     * The type with {@code code}.
     *
     * @throws IllegalArgumentException if no type has it (an entry written by a newer version, or garbage)
     */
    public static EntryType fromCode(int code) {
        return StableCodes.lookup(BY_CODE, code, "raft entry type");
    }
}
