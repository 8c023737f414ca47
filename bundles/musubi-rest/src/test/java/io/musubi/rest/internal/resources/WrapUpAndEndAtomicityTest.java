package io.musubi.rest.internal.resources;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AcdListener;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.testkit.ManualClock;
import io.musubi.acd.QueueDefinition;
import io.musubi.store.HistoryStore;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import io.musubi.rest.internal.security.Caller;
import io.musubi.rest.Role;
import jakarta.ws.rs.core.SecurityContext;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wrap-up} and {@code end} are one ACD command each: nothing (another command, a timer) can run between
 * recording the disposition and ending. The engine's listeners run before a command returns, so a listener that
 * reacts to the first step stands for whatever could slip in between two commands.
 */
class WrapUpAndEndAtomicityTest {

    private final ManualClock clock = ManualClock.at("2025-04-01T10:00:00Z");
    private final AcdEngine acd = Acd.newEngine(clock);
    private final List<InteractionEvent> events = new CopyOnWriteArrayList<>();
    private final Caller supervisor = new Caller("default", "sup", Set.of(Role.SUPERVISOR), null);
    private final InteractionsResource resource;
    private Interaction call;

    WrapUpAndEndAtomicityTest() {
        HistoryStore history = (HistoryStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HistoryStore.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "findInteraction" -> Optional.ofNullable(call);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        resource = new InteractionsResource(acd, history, null, null);
        acd.addListener(new AcdListener() {
            @Override
            public void onInteractionEvent(InteractionEvent event) {
                events.add(event);
            }
        });
        acd.defineQueue(QueueDefinition.builder("voice").channels(Channel.VOICE).wrapUp(Duration.ofSeconds(30)).build());
        acd.defineAgent(AgentDefinition.builder("alice").build());
        acd.setPresence("alice", PresenceState.AVAILABLE, "", Actors.agent("alice"));
        call = new Interaction("call-1", "default", Channel.VOICE, "cust-1", Address.of("tel", "+81312345678"), null,
                "call-1", "voice", 0, Map.of(), InteractionState.NEW, Instant.EPOCH, null, "", "");
        acd.enqueue(call);
        acd.accept("call-1", "alice");
    }

    /** Runs {@code action} once, the first time the engine emits an event of {@code type}. */
    private void onFirst(InteractionEventType type, Consumer<InteractionEvent> action) {
        acd.addListener(new AcdListener() {
            boolean done;

            @Override
            public void onInteractionEvent(InteractionEvent event) {
                if (!done && event.type() == type) {
                    done = true;
                    action.accept(event);
                }
            }
        });
    }

    private List<InteractionEventType> types() {
        return events.stream().filter(e -> e.interactionId().equals("call-1")).map(InteractionEvent::type).toList();
    }

    @Test
    void endRecordsTheDispositionEvenIfTheWrapUpTimerIsDueAtOnce() {
        // the wrap-up timer comes due the moment wrap-up starts (the clock moves on, the timer thread ticks)
        onFirst(InteractionEventType.WRAP_UP, e -> {
            clock.advance(Duration.ofSeconds(31));
            acd.tick();
        });

        resource.end(context(), "call-1", new InteractionJson.Disposition("sale"));

        assertThat(types()).containsSubsequence(InteractionEventType.WRAP_UP, InteractionEventType.DISPOSITION,
                InteractionEventType.ENDED);
        InteractionEvent ended = events.stream().filter(e -> e.type() == InteractionEventType.ENDED).findFirst()
                .orElseThrow();
        assertThat(ended.actor()).isEqualTo(Actors.supervisor("sup"));
        assertThat(acd.agent("alice").orElseThrow().assigned()).isEmpty();
    }

    @Test
    void wrapUpRecordsTheDispositionAndStartsWrapUpWithNothingInBetween() {
        // the customer hangs up (the voice connector ends the call) right after the disposition is recorded
        onFirst(InteractionEventType.DISPOSITION, e -> {
            try {
                acd.end("call-1", Actors.connector("pbx"));
            } catch (IllegalStateException alreadyInWrapUp) {
                // with one command, wrap-up has already started: the connector's end finds nothing to do
            }
        });

        resource.wrapUp(context(), "call-1", new InteractionJson.Disposition("sale"));

        assertThat(types()).containsSubsequence(InteractionEventType.DISPOSITION, InteractionEventType.WRAP_UP);
        InteractionEvent wrap = events.stream().filter(e -> e.type() == InteractionEventType.WRAP_UP).findFirst()
                .orElseThrow();
        assertThat(wrap.actor()).isEqualTo(Actors.supervisor("sup"));
        assertThat(acd.interaction("call-1").orElseThrow().state()).isEqualTo(InteractionState.WRAP_UP);
    }

    private SecurityContext context() {
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return supervisor;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }

            @Override
            public boolean isSecure() {
                return true;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        };
    }
}
