package io.musubi.acd;

import io.musubi.acd.spi.RoutingStrategy;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.PresenceState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The multichannel ACD and presence engine (DESIGN §5–§6). It is the single writer of agent, queue and interaction
 * routing state; every command is atomic and every state change is emitted, in order, to the registered
 * {@link AcdListener}s as an {@link io.musubi.model.InteractionEvent} or {@link io.musubi.model.PresenceChange}.
 *
 * <p>Time comes from the engine's clock. Timers (offer timeouts, wrap-up, sticky waits, escalation, max wait,
 * call-backs) run when {@link #tick()} is called and before every other command; in OSGi a component calls
 * {@code tick()} periodically, in tests advance a manual clock (musubi-testkit's {@code ManualClock}) and call {@code tick()}.
 *
 * <p>Commands on unknown ids throw {@link java.util.NoSuchElementException}; commands that do not fit the current
 * state (accepting an offer made to someone else, ending a queued interaction twice) throw
 * {@link IllegalStateException} and change nothing.
 */
public interface AcdEngine {

    // ---- definitions

    /** Adds or replaces an agent (replacing keeps its presence and work). */
    void defineAgent(AgentDefinition agent);

    /** Removes an agent; it must have no interaction offered or assigned. */
    void removeAgent(String agentId);

    /** Adds or replaces a queue (waiting interactions are re-listed under the new definition). */
    void defineQueue(QueueDefinition queue);

    /** Removes a queue; it must have no interaction waiting. */
    void removeQueue(String queueId);

    void registerStrategy(RoutingStrategy strategy);

    void unregisterStrategy(String name);

    // ---- presence (DESIGN §6)

    /**
     * Sets an agent's presence. BUSY cannot be set: it is derived (at capacity or blocked), as is WRAP_UP when all
     * of an AVAILABLE agent's work is in wrap-up. Going OFFLINE withdraws the agent's offers and releases the
     * interactions waiting for it.
     *
     * @param actor {@link Actors#agent}, {@link Actors#supervisor} or {@link Actors#connector}
     */
    void setPresence(String agentId, PresenceState state, String reasonCode, String actor);

    /** Per-channel availability toggle (routable for chat but not voice). */
    void setChannelEnabled(String agentId, Channel channel, boolean enabled, String actor);

    /**
     * A connector reports the agent's device busy outside the ACD (e.g. a private call on the PBX): no offers while
     * it is, and the agent shows BUSY.
     */
    void setDeviceBusy(String agentId, boolean busy, String actor);

    // ---- interactions

    /** Queues an interaction in {@link Interaction#queueId()}; VIP when its attribute {@code vip} is {@code true}. */
    void enqueue(Interaction interaction);

    /** Queues an interaction; {@code vip} adds the queue's VIP boost (and moves it to the queue's VIP queue if set). */
    void enqueue(Interaction interaction, boolean vip);

    void accept(String interactionId, String agentId);

    void reject(String interactionId, String agentId, String reason);

    /**
     * Direct routing: connects the interaction to the agent now, whatever the agent's presence and capacity (the
     * voice connector saw the agent answer). A waiting or offered interaction leaves its queue; an unknown one is
     * registered.
     */
    void forceAssign(Interaction interaction, String agentId, String actor);

    void hold(String interactionId, String actor);

    void resume(String interactionId, String actor);

    /**
     * Ends an interaction. Connected or held: goes to wrap-up for the queue's wrap-up time (then the capacity is
     * released) or ends at once without wrap-up. Queued or offered: the customer left, so it is abandoned.
     */
    void end(String interactionId, String actor);

    /**
     * Wrap-up in one command: records the disposition (blank: none) and ends the conversation as {@link #end} does
     * (connected or held: wrap-up for the queue's wrap-up time, or ended at once without one). A queued or ringing
     * interaction is abandoned, as by {@link #end}; a disposition for it is refused with {@link IllegalStateException}
     * (nothing was handled) and nothing changes. Nothing else can run between the two steps.
     */
    void wrapUp(String interactionId, String disposition, String actor);

    /**
     * Ends an interaction for good in one command, wrap-up included, recording the disposition (blank: none):
     * connected or held → WRAP_UP (when the queue has a wrap-up time), DISPOSITION, ENDED; in wrap-up → DISPOSITION,
     * ENDED. A queued or ringing interaction is abandoned; a disposition for it is refused with
     * {@link IllegalStateException} and nothing changes. Nothing else can run between the steps.
     */
    void end(String interactionId, String disposition, String actor);

    /** Ends wrap-up early, optionally recording a disposition (blank: none). */
    void completeWrapUp(String interactionId, String disposition, String actor);

    /** Records a disposition (DISPOSITION event) without ending anything. */
    void setDisposition(String interactionId, String disposition, String actor);

    /** The customer gave up while queued or ringing: ABANDONED with the wait time. */
    void abandon(String interactionId);

    /** Transfers a connected, held or waiting interaction to an agent; it waits for that agent (who must be logged in). */
    void transferToAgent(String interactionId, String agentId, String actor);

    /** Transfers a connected, held or waiting interaction to a queue. */
    void transferToQueue(String interactionId, String queueId, String actor);

    /**
     * Replaces a waiting interaction by a call-back: the waiting one ends (CALLBACK_SCHEDULED, then ENDED with
     * outcome {@code callback}); {@code callback} (usually a VOICE interaction) is queued at {@code at} in the same
     * queue, keeping the original position and priority.
     */
    void scheduleCallback(String waitingInteractionId, Interaction callback, Instant at, String actor);

    // ---- time

    /** Runs the timers due at the clock's current time. */
    void tick();

    /** When the next timer is due, if any. */
    Optional<Instant> nextDeadline();

    // ---- recovery (issue #11)

    /**
     * Rebuilds one tenant's routing state from what the durable store holds, in one command: presence (silently, with
     * its original since-time), last-agent records, assigned work (the agents' capacity stays used) and waiting
     * interactions (same order, original queue times; offers in flight come back at the head of their queue, not to
     * the agent). Emits no interaction event for what it restores (it is already in the history); what routing then
     * decides afresh (an offer to a free agent, a timer already due: wrap-up over, max wait passed) is emitted as
     * usual, as is a {@link io.musubi.model.PresenceChange} when an agent's derived presence differs from the one given.
     * Other tenants are not touched.
     *
     * @throws IllegalArgumentException an id of another tenant, an unknown agent or queue, a queue that does not take
     *                                  the channel, an assigned state other than CONNECTED, HELD, WRAP_UP; nothing
     *                                  is restored
     * @throws IllegalStateException    the tenant already has interactions in the engine, or an id is given twice
     */
    void restore(AcdRestore state);

    // ---- listeners

    void addListener(AcdListener listener);

    void removeListener(AcdListener listener);

    /**
     * Sets the one sink called with every event under the engine's lock, in engine order (see {@link AcdEventSink});
     * {@code null} removes it. Listeners are still called as before.
     */
    void setEventSink(AcdEventSink sink);

    // ---- queries (for REST, SSE and shell commands)

    List<AgentStatus> agents();

    Optional<AgentStatus> agent(String agentId);

    List<QueueDefinition> queues();

    /** One queue's definition, if the engine has that queue. */
    default Optional<QueueDefinition> queue(String queueId) {
        return queues().stream().filter(q -> q.id().equals(queueId)).findFirst();
    }

    Optional<QueueStatistics> queueStatistics(String queueId);

    List<QueueStatistics> queueStatistics();

    /** Waiting interactions of a queue, in the order they would be offered. */
    List<WaitingInteraction> waiting(String queueId);

    /** The current view of an interaction known to the ACD (not yet ended or abandoned). */
    Optional<Interaction> interaction(String interactionId);

    /**
     * Last agent recorded for a customer of the engine's default tenant ({@link AcdConfig#tenantId()}), if within
     * the retention; see {@link #lastAgent(String, String)}.
     */
    Optional<String> lastAgent(String customerId);

    /** Last agent recorded for a customer of a tenant (on ACCEPTED), if within the retention. */
    Optional<String> lastAgent(String tenantId, String customerId);

    void resetStatistics();
}
