package io.musubi.acd;

import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.musubi.model.Channel.VOICE;
import static io.musubi.model.InteractionEventType.ABANDONED;
import static io.musubi.model.InteractionEventType.DISPOSITION;
import static io.musubi.model.InteractionEventType.ENDED;
import static io.musubi.model.InteractionEventType.WRAP_UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code wrapUp(id, disposition, actor)} and {@code end(id, disposition, actor)}: each one atomic command. */
class WrapUpAndEndCommandsTest {

    private static Harness connected(Duration wrapUp) {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE).wrapUp(wrapUp))
                .online(AgentDefinition.builder("a"));
        h.arrive("c1", VOICE, "q");
        h.acd.accept("c1", "a");
        return h;
    }

    private static java.util.List<InteractionEventType> after(Harness h, int from) {
        java.util.List<InteractionEventType> t = h.types("c1");
        return t.subList(from, t.size());
    }

    @Test
    void wrapUpRecordsTheDispositionThenStartsWrapUp() {
        Harness h = connected(Duration.ofSeconds(30));
        int n = h.types("c1").size();
        h.acd.wrapUp("c1", "sale", Actors.agent("a"));
        assertThat(after(h, n)).containsExactly(DISPOSITION, WRAP_UP);
        assertThat(h.acd.interaction("c1").orElseThrow().disposition()).isEqualTo("sale");
        assertThat(h.stateOf("c1")).isEqualTo(InteractionState.WRAP_UP);
        h.advance(30);
        assertThat(h.stateOf("c1")).isNull();
    }

    @Test
    void wrapUpWithoutWrapUpTimeEndsAtOnceWithTheDisposition() {
        Harness h = connected(Duration.ZERO);
        int n = h.types("c1").size();
        h.acd.wrapUp("c1", "sale", Actors.agent("a"));
        assertThat(after(h, n)).containsExactly(DISPOSITION, ENDED);
    }

    @Test
    void endGoesThroughWrapUpWithTheDisposition() {
        Harness h = connected(Duration.ofSeconds(30));
        int n = h.types("c1").size();
        h.acd.end("c1", "sale", Actors.agent("a"));
        assertThat(after(h, n)).containsExactly(WRAP_UP, DISPOSITION, ENDED);
        assertThat(h.acd.agent("a").orElseThrow().assigned()).isEmpty();
    }

    @Test
    void endWithoutWrapUpTimeStillRecordsTheDisposition() {
        Harness h = connected(Duration.ZERO);
        int n = h.types("c1").size();
        h.acd.end("c1", "sale", Actors.agent("a"));
        assertThat(after(h, n)).containsExactly(DISPOSITION, ENDED);
    }

    @Test
    void endInWrapUpCompletesIt() {
        Harness h = connected(Duration.ofSeconds(30));
        h.acd.end("c1", Actors.agent("a"));
        int n = h.types("c1").size();
        h.acd.end("c1", "", Actors.agent("a"));
        assertThat(after(h, n)).containsExactly(ENDED);
    }

    @Test
    void aDispositionForAQueuedInteractionIsRefusedAndChangesNothing() {
        Harness h = new Harness().queue(QueueDefinition.builder("q").channels(VOICE));
        h.arrive("c1", VOICE, "q");
        int n = h.events.size();
        assertThatThrownBy(() -> h.acd.end("c1", "sale", Actors.agent("a"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> h.acd.wrapUp("c1", "sale", Actors.agent("a")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(h.events).hasSize(n);
        assertThat(h.stateOf("c1")).isEqualTo(InteractionState.QUEUED);
        h.acd.end("c1", "", Actors.CUSTOMER);
        assertThat(h.types("c1")).endsWith(ABANDONED);
    }

    @Test
    void wrapUpTwiceIsRefusedWithoutRecordingTheSecondDisposition() {
        Harness h = connected(Duration.ofSeconds(30));
        h.acd.wrapUp("c1", "sale", Actors.agent("a"));
        int n = h.events.size();
        assertThatThrownBy(() -> h.acd.wrapUp("c1", "other", Actors.agent("a")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(h.events).hasSize(n);
        assertThat(h.acd.interaction("c1").orElseThrow().disposition()).isEqualTo("sale");
    }
}
