package io.musubi.acd.internal;

import io.musubi.acd.AcdConfig;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.AgentStatus;
import io.musubi.testkit.ManualClock;
import io.musubi.acd.QueueDefinition;
import io.musubi.acd.spi.AgentCandidate;
import io.musubi.acd.spi.RoutingRequest;
import io.musubi.acd.spi.RoutingStrategy;
import io.musubi.model.Address;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

import static io.musubi.model.Channel.WEBCHAT;
import static org.assertj.core.api.Assertions.assertThat;

/** A plugged-in strategy runs under the engine's lock: one that throws or overruns its budget cannot stall routing. */
class StrategyGuardTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();
    private final ManualClock clock = ManualClock.at("2025-04-01T00:00:00Z");
    private final AcdCore acd = new AcdCore(AcdConfig.defaults().withStrategyBudget(Duration.ofMillis(5), 3), clock,
            nanos::get);

    private void centre(BiFunction<RoutingRequest, List<AgentCandidate>, String> choice) {
        acd.registerStrategy(new RoutingStrategy() {
            @Override
            public String name() {
                return "custom";
            }

            @Override
            public String select(RoutingRequest request, List<AgentCandidate> candidates) {
                calls.incrementAndGet();
                return choice.apply(request, candidates);
            }
        });
        acd.defineQueue(QueueDefinition.builder("chat").channels(WEBCHAT).strategy("custom").build());
        for (String id : List.of("a", "b")) {
            acd.defineAgent(AgentDefinition.builder(id).capacity(WEBCHAT, 5).build());
            acd.setPresence(id, PresenceState.AVAILABLE, "", Actors.agent(id));
        }
    }

    private String arrive(String id) {
        clock.advance(Duration.ofSeconds(1));
        acd.enqueue(new Interaction(id, "default", WEBCHAT, "", Address.of("webchat", id), null, id, "chat", 0,
                Map.of(), InteractionState.NEW, Instant.EPOCH, null, "", ""));
        for (AgentStatus s : acd.agents()) {
            if (s.offered().contains(id)) {
                return s.agentId();
            }
        }
        return "";
    }

    @Test
    void aStrategyThatThrowsFallsBackToLongestIdleAndIsCounted() {
        centre((r, c) -> {
            throw new IllegalStateException("strategy bug (test)");
        });
        assertThat(arrive("c1")).isEqualTo("a");       // a logged in first: idle longest
        assertThat(arrive("c2")).isEqualTo("b");
        assertThat(arrive("c3")).isEqualTo("a");
        assertThat(acd.strategyHealth("custom")).containsExactly(3, 0, 0);
        assertThat(acd.checkIndexes()).isEmpty();
    }

    @Test
    void aStrategyThatOverrunsItsBudgetRepeatedlyIsDisabledAndTheQueueRoutesLongestIdle() {
        centre((r, c) -> {
            nanos.addAndGet(Duration.ofMillis(20).toNanos());       // the choice takes 20 ms of a 5 ms budget
            return "b";
        });
        assertThat(arrive("c1")).isEqualTo("b");       // a late answer is still used
        assertThat(arrive("c2")).isEqualTo("b");
        assertThat(acd.strategyHealth("custom")).containsExactly(0, 2, 0);
        assertThat(arrive("c3")).isEqualTo("b");       // the third overrun in a row disables it
        assertThat(acd.strategyHealth("custom")).containsExactly(0, 3, 1);
        assertThat(arrive("c4")).isEqualTo("a");       // longest idle, the strategy is not asked any more
        assertThat(arrive("c5")).isEqualTo("b");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aChoiceWithinTheBudgetEndsARunOfOverruns() {
        AtomicInteger n = new AtomicInteger();
        centre((r, c) -> {
            if (n.incrementAndGet() % 3 != 0) {
                nanos.addAndGet(Duration.ofMillis(6).toNanos());
            }
            return "b";
        });
        for (int i = 0; i < 9; i++) {
            assertThat(arrive("c" + i)).isIn("b", "");
        }
        assertThat(acd.strategyHealth("custom")).containsExactly(0, 6, 0);
    }
}
