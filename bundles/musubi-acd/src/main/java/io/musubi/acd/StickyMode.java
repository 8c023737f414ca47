package io.musubi.acd;

/** How strongly a queue sticks a returning customer to the last agent (DESIGN §5.4). */
public enum StickyMode {
    /** Wait up to {@link StickyConfig#preferredWait()} for the last agent, then route normally. */
    PREFERRED,
    /** Keep waiting for the last agent until the queue's max wait (or while that agent is logged in). */
    REQUIRED
}
