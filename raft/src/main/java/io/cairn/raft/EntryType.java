package io.cairn.raft;

/** What a log entry carries: application data, or an encoded {@link ConfChange}. */
public enum EntryType {
    NORMAL,
    CONF_CHANGE
}
