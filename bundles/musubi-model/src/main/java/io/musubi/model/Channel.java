package io.musubi.model;

/**
 * The channel family an interaction travels on. {@link #SOCIAL} is refined by a platform
 * (messenger, instagram, whatsapp, ...) carried in the interaction's address; {@link #CUSTOM}
 * is for vendors' own channels created over REST.
 */
public enum Channel {
    VOICE,
    VIDEO,
    WEBCHAT,
    LINE,
    SMS,
    EMAIL,
    FAX,
    SOCIAL,
    CUSTOM;

    /** Real-time channels: the customer is waiting on the line and the agent is focused on it. */
    public boolean isRealTime() {
        return this == VOICE || this == VIDEO;
    }
}
