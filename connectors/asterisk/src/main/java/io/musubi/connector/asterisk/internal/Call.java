package io.musubi.connector.asterisk.internal;

import io.musubi.model.Address;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** What the connector knows of one call: the customer's channel, where the call is, and which agent has it. */
final class Call {

    /** Who routes the call. */
    enum Route {
        /** Waits in the holding place; the hub's ACD picks the agent. */
        HUB,
        /** Asterisk's app_queue distributes it. */
        PBX,
        /** Click-to-dial: the agent called the customer. */
        OUTBOUND
    }

    /** Where the call is. */
    enum Phase {
        /** Waiting (music on hold, or in app_queue). */
        WAITING,
        /** Redirected to an agent's phone, ringing. */
        RINGING,
        CONNECTED,
        HELD,
        /** Transferred out of the contact center, or ended: nothing more is reported. */
        GONE
    }

    /** The customer's channel (for an outbound call: the agent's leg, whose id the hub chose). */
    final String uniqueid;
    /** The call's thread key: the Linkedid shared by every leg. */
    final String linkedid;
    final Route route;
    final Address from;
    final Address to;
    final Instant arrivedAt;
    String channel;
    Phase phase = Phase.WAITING;
    /** The agent (scoped id) the call is offered to, ringing or connected with. */
    String agentId = "";
    /** The agent's channel bridged with the customer. */
    String agentChannel = "";
    /** The customer's channel once known (outbound calls learn it from the bridge). */
    String customerChannel = "";
    String bridgeId = "";
    String interactionId = "";
    /** We redirected the customer away from a ringing agent: the Dial's CANCEL is ours, not the agent's. */
    boolean redirecting;
    boolean ended;
    /** The hub put the customer on hold (Redirect): the hub resumes it (Bridge). */
    boolean heldByHub;
    /**
     * The hub moved the customer out of app_queue's bridge (hold): the queue's AgentComplete that follows does not end
     * the call, the customer's hang-up does.
     */
    boolean leftQueue;
    boolean recording;
    /** Recordings the hub started on this call (their file names count them). */
    int recordings;
    String recordingFile = "";
    /** Monitoring sessions by the spying channel's id: the mode asked for (AMI does not say it). */
    final Map<String, String[]> monitors = new HashMap<>();
    private int seq;

    Call(String uniqueid, String linkedid, Route route, Address from, Address to, Instant arrivedAt, String channel) {
        this.uniqueid = uniqueid;
        this.linkedid = linkedid;
        this.route = route;
        this.from = from;
        this.to = to;
        this.arrivedAt = arrivedAt;
        this.channel = channel;
        this.customerChannel = route == Route.OUTBOUND ? "" : channel;
    }

    int nextSeq() {
        return ++seq;
    }

    boolean connected() {
        return phase == Phase.CONNECTED || phase == Phase.HELD;
    }

    @Override
    public String toString() {
        // channel names carry numbers: never printed
        return "Call[" + uniqueid + ", " + route + ", " + phase + ", agent=" + agentId + "]";
    }
}
