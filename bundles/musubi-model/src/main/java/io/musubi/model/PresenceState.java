package io.musubi.model;

/**
 * Agent presence (DESIGN §6). Whether a state is routable is a property of the state; BUSY is derived
 * by the ACD (at capacity or blocked) and never set by hand.
 */
public enum PresenceState {
    OFFLINE(false, false),
    AVAILABLE(true, true),
    BUSY(true, false),
    WRAP_UP(true, false),
    AWAY(true, false),
    BREAK(true, false),
    LUNCH(true, false),
    MEETING(true, false),
    TRAINING(true, false),
    DND(true, false),
    NOT_RESPONDING(true, false);

    private final boolean loggedIn;
    private final boolean routable;

    PresenceState(boolean loggedIn, boolean routable) {
        this.loggedIn = loggedIn;
        this.routable = routable;
    }

    /** Logged in to the hub (every state but OFFLINE). */
    public boolean isLoggedIn() {
        return loggedIn;
    }

    /** New work may be offered in this state. */
    public boolean isRoutable() {
        return routable;
    }
}
