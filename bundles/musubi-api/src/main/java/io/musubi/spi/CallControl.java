package io.musubi.spi;

import io.musubi.model.Interaction;

/**
 * Call control offered by a voice connector (a PBX connector such as Asterisk): click-to-dial, transfers out of the
 * contact center, hold and resume, recording and supervisor monitoring. Registered as an OSGi service with
 * {@link Connector#ID_PROPERTY} (see {@code ConnectorServices#provide}); the REST API finds the one that serves an
 * interaction by the interaction's source connector (its {@code musubi.source} attribute), and the one for an agent's
 * click-to-dial by the agent's tenant.
 *
 * <p>Every operation validates its input itself (an allow-list of characters for destinations, never a line break)
 * before anything reaches the PBX, and reports failures as {@link CallControlException}. What follows from an
 * operation (the call answered, put on hold, recorded, transferred) is reported back by the connector as inbound
 * lifecycle events, exactly as when it happens on the phone, so the history is the same either way.
 *
 * <p>Moving a call to another agent or queue of the contact center is not a call-control operation: it is the ACD's
 * transfer ({@code POST /interactions/{id}/transfer}); the connector follows the ACD's offers.
 */
public interface CallControl {

    /** How a transfer hands the call over. */
    enum TransferMode {
        /** The call goes to the destination at once; the agent is released. */
        BLIND,
        /** The agent talks to the destination first and completes the transfer by hanging up. */
        ATTENDED
    }

    /** What a supervisor does on a call. The PBX's events do not tell these apart: the hub records the mode asked for. */
    enum MonitorMode {
        /** Hears both parties; nobody hears the supervisor. */
        LISTEN,
        /** Hears both parties; only the agent hears the supervisor. */
        WHISPER,
        /** Joins the call: both parties hear the supervisor. */
        BARGE
    }

    /** The connector instance id ({@link Connector#id()}). */
    String connectorId();

    /** The tenant the connector serves. */
    String tenantId();

    /**
     * Click-to-dial: rings the agent's phone and, when the agent answers, calls the destination. The call is recorded as
     * an outbound VOICE interaction assigned to the agent.
     *
     * @param agentId     the agent (tenant-scoped id, {@code tenant/local})
     * @param destination an E.164 number ({@code +81312345678}), a national number or an extension: digits, an
     *                    optional leading {@code +}, {@code *} and {@code #}
     * @param displayName the name shown on the agent's phone (the customer's), or null; a name with characters
     *                    outside letters, digits, spaces and {@code . _ ' -} is not shown
     * @return the call's id, which is the thread key of the interaction that records it
     */
    String dial(String agentId, String destination, String displayName);

    /** Transfers the call of an interaction to a PBX destination (an extension or a number) outside the ACD. */
    void transfer(Interaction interaction, String destination, TransferMode mode);

    /** Puts the caller on hold (music on hold) and keeps the agent's line. */
    void hold(Interaction interaction);

    /** Reconnects a held caller with the agent. */
    void resume(Interaction interaction);

    /** Starts recording the call; the file reference is recorded on the interaction (RECORDING_STARTED). */
    void startRecording(Interaction interaction);

    /** Stops recording the call (RECORDING_STOPPED). */
    void stopRecording(Interaction interaction);

    /**
     * A supervisor listens to, whispers to or barges into the call: the supervisor's phone rings and, once answered,
     * joins in the given mode.
     *
     * @param supervisorDestination the supervisor's extension (digits, {@code *}, {@code #})
     * @param supervisor            who asks (recorded on the interaction)
     */
    void monitor(Interaction interaction, MonitorMode mode, String supervisorDestination, String supervisor);
}
