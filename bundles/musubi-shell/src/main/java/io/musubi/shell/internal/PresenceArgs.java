package io.musubi.shell.internal;

import io.musubi.acd.Actors;
import io.musubi.acd.AgentStatus;
import io.musubi.model.PresenceState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parsing of the presence a supervisor sets from the console. */
final class PresenceArgs {

    private PresenceArgs() {
    }

    /** The states a supervisor may set: every state but BUSY, which the ACD derives. */
    static List<String> settableStates() {
        List<String> out = new ArrayList<>();
        for (PresenceState s : PresenceState.values()) {
            if (s != PresenceState.BUSY) {
                out.add(s.name());
            }
        }
        return out;
    }

    /** {@code available}, {@code AWAY}, {@code not-responding}, ... (case and {@code -}/{@code _} insensitive). */
    static PresenceState parseState(String text) {
        String norm = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        PresenceState s;
        try {
            s = PresenceState.valueOf(norm);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown presence state '" + text + "'; one of "
                    + String.join(", ", settableStates()));
        }
        if (s == PresenceState.BUSY) {
            throw new IllegalArgumentException("BUSY is derived by the ACD (agent at capacity or blocked) and cannot"
                    + " be set; use AWAY, BREAK, DND, ... with a reason");
        }
        return s;
    }

    /** Any state, BUSY included (for filters). */
    static PresenceState parseAnyState(String text) {
        String norm = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return PresenceState.valueOf(norm);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown presence state '" + text + "'");
        }
    }

    /** The confirmation line after a change: {@code hanako: AWAY (break) since 2025-04-01T00:00:00Z}. */
    static String describe(AgentStatus a) {
        return a.agentId() + ": " + a.state().name() + (a.reasonCode().isEmpty() ? "" : " (" + a.reasonCode() + ")")
                + " since " + a.since();
    }

    /** The event actor of a console change: {@code supervisor:<user>}, {@code supervisor:console} without a user. */
    static String actor(String user) {
        return Actors.supervisor(user == null || user.isBlank() ? "console" : user);
    }
}
