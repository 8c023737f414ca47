package io.musubi.acd;

/** Keys of the attributes the ACD puts on the events it emits. */
public final class AcdAttributes {
    public static final String QUEUE_ID = "queueId";
    public static final String AGENT_ID = "agentId";
    public static final String FROM_AGENT_ID = "fromAgentId";
    public static final String FROM_QUEUE_ID = "fromQueueId";
    /** Why: {@code rejected}, {@code withdrawn}, {@code offline}, {@code max-wait}, {@code closed}, {@code set-aside}, ... */
    public static final String REASON = "reason";
    /** Milliseconds waited in queue (on ACCEPTED, ABANDONED). */
    public static final String WAIT_MS = "waitMs";
    /** {@code voicemail}, {@code callback}, {@code handled} on ENDED. */
    public static final String OUTCOME = "outcome";
    public static final String CALLBACK_ID = "callbackId";
    public static final String CALLBACK_AT = "callbackAt";
    public static final String DISPOSITION = "disposition";
    /** {@code true} on an ACCEPTED caused by force-assign (direct routing). */
    public static final String FORCED = "forced";
    /** {@code true} on an OFFERED to the customer's last agent. */
    public static final String STICKY = "sticky";
    /** On QUEUED: the agent the interaction waits for (last-agent routing, transfer to an agent). */
    public static final String WAITS_FOR = "waitsFor";
    /** On QUEUED with {@link #WAITS_FOR}: until when it waits for that agent (ISO-8601 instant; absent: no limit). */
    public static final String WAITS_UNTIL = "waitsUntil";
    /** Set on an interaction by the caller to mark a VIP customer, value {@code true}. */
    public static final String VIP = "vip";

    private AcdAttributes() {
    }
}
