package io.musubi.acd;

import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceChange;
import io.musubi.model.PresenceState;
import io.musubi.model.ScopedId;
import io.musubi.testkit.ManualClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A controllable-clock engine plus a recording listener, for tests. */
final class Harness implements AcdListener {
    final ManualClock clock = ManualClock.at("2025-04-01T00:00:00Z");
    final AcdEngine acd;
    final List<Object> events = new CopyOnWriteArrayList<>();

    Harness() {
        this(AcdConfig.defaults());
    }

    Harness(AcdConfig config) {
        acd = Acd.newEngine(config, clock);
        acd.addListener(this);
    }

    @Override
    public void onInteractionEvent(InteractionEvent event) {
        events.add(event);
    }

    @Override
    public void onPresenceChange(PresenceChange change) {
        events.add(change);
    }

    Harness agent(AgentDefinition.Builder b) {
        acd.defineAgent(b.build());
        return this;
    }

    /** Defines an agent and logs it in AVAILABLE. */
    Harness online(AgentDefinition.Builder b) {
        AgentDefinition d = b.build();
        acd.defineAgent(d);
        acd.setPresence(d.id(), PresenceState.AVAILABLE, "", Actors.agent(d.id()));
        return this;
    }

    Harness queue(QueueDefinition.Builder b) {
        acd.defineQueue(b.build());
        return this;
    }

    static Interaction interaction(String id, Channel channel, String queue, String customer, int priority) {
        Address from = switch (channel) {
            case VOICE, VIDEO, SMS, FAX -> Address.of("tel", "+8131234" + Math.abs(id.hashCode() % 10000));
            case LINE -> Address.of("line", "U" + customer);
            case EMAIL -> Address.of("mailto", customer + "@example.jp");
            default -> Address.of("webchat", "v-" + id);
        };
        // the interaction belongs to its queue's tenant (an unscoped queue is the engine's default tenant)
        return new Interaction(id, ScopedId.tenantOf(queue, "default"), channel, customer, from, null, id, queue,
                priority, Map.of(), InteractionState.NEW, java.time.Instant.EPOCH, null, "", "");
    }

    void arrive(String id, Channel channel, String queue) {
        acd.enqueue(interaction(id, channel, queue, "", 0));
    }

    void arrive(String id, Channel channel, String queue, String customer) {
        acd.enqueue(interaction(id, channel, queue, customer, 0));
    }

    void advance(long seconds) {
        clock.advance(Duration.ofSeconds(seconds));
        acd.tick();
    }

    List<InteractionEvent> interactionEvents() {
        return events.stream().filter(e -> e instanceof InteractionEvent).map(e -> (InteractionEvent) e)
                .collect(Collectors.toList());
    }

    List<InteractionEvent> of(String interactionId) {
        return interactionEvents().stream().filter(e -> e.interactionId().equals(interactionId))
                .collect(Collectors.toList());
    }

    List<InteractionEventType> types(String interactionId) {
        return of(interactionId).stream().map(InteractionEvent::type).collect(Collectors.toList());
    }

    List<PresenceChange> presence(String agentId) {
        return events.stream().filter(e -> e instanceof PresenceChange).map(e -> (PresenceChange) e)
                .filter(p -> p.agentId().equals(agentId)).collect(Collectors.toList());
    }

    /** The agent the interaction is currently offered to (by ACD state), or "" if none. */
    List<String> offeredTo(String interactionId) {
        List<String> out = new ArrayList<>();
        for (AgentStatus a : acd.agents()) {
            if (a.offered().contains(interactionId)) {
                out.add(a.agentId());
            }
        }
        return out;
    }

    String offeredToOne(String interactionId) {
        List<String> l = offeredTo(interactionId);
        return l.isEmpty() ? "" : String.join(",", l);
    }

    List<String> offersOf(String agentId) {
        return acd.agent(agentId).orElseThrow().offered();
    }

    PresenceState state(String agentId) {
        return acd.agent(agentId).orElseThrow().state();
    }

    InteractionState stateOf(String interactionId) {
        return acd.interaction(interactionId).map(Interaction::state).orElse(null);
    }

    /** Accepts whatever is offered to the agent. */
    void acceptAll(String agentId) {
        for (String id : offersOf(agentId)) {
            acd.accept(id, agentId);
        }
    }
}
