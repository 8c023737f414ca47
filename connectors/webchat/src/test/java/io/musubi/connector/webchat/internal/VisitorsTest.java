package io.musubi.connector.webchat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.musubi.spi.LiveChannel;
import io.musubi.spi.LiveSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VisitorsTest {

    static final String V = "v-AAAAAAAAAAAAAAAAAAAAAA";
    static final Instant AT = Instant.parse("2025-04-01T09:00:00Z");

    /** A stream that keeps what it is given, up to a capacity. */
    static final class Collecting implements Visitors.Stream {
        final List<String> frames = new CopyOnWriteArrayList<>();
        final int capacity;
        volatile boolean closed;

        Collecting(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public boolean offer(String frame) {
            if (frames.size() >= capacity) {
                return false;
            }
            frames.add(frame);
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }

        List<String> ids() {
            List<String> ids = new ArrayList<>();
            for (String f : frames) {
                if (f.startsWith("id: ")) {
                    ids.add(f.substring(4, f.indexOf('\n')));
                }
            }
            return ids;
        }
    }

    private Path dir;
    private Visitors visitors;

    @BeforeEach
    void setUp() throws Exception {
        dir = Path.of("target", "visitors-" + UUID.randomUUID());
        visitors = new Visitors(dir, Duration.ofHours(24), Clock.systemUTC(), new ObjectMapper(), 3);
    }

    @Test
    void linesAreNumberedKeptOnDiskAndAddedOnceById() throws Exception {
        assertThat(visitors.append(V, "in-a", "in", "こんにちは", List.of(), AT).seq()).isEqualTo(1);
        assertThat(visitors.append(V, "m-1", "out", "はい", List.of("map.png"), AT).seq()).isEqualTo(2);
        assertThat(visitors.append(V, "in-a", "in", "こんにちは", List.of(), AT).seq()).as("a retried post").isEqualTo(1);
        Visitors reopened = new Visitors(dir, Duration.ofHours(24), Clock.systemUTC(), new ObjectMapper(), 3);
        assertThat(reopened.transcript(V)).extracting(Visitors.Entry::id).containsExactly("in-a", "m-1");
        assertThat(reopened.transcript(V).get(1).attachments()).containsExactly("map.png");
        assertThatThrownBy(() -> visitors.transcript("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStreamReplaysAfterItsLastIdThenGetsLiveLinesAndSignals() {
        for (int i = 1; i <= 3; i++) {
            visitors.append(V, "in-" + i, "in", "line " + i, List.of(), AT);
        }
        Collecting resumed = new Collecting(100);
        visitors.open(V, 1, resumed);
        assertThat(resumed.ids()).containsExactly("2", "3");
        visitors.append(V, "m-1", "out", "reply", List.of(), AT);
        assertThat(resumed.ids()).containsExactly("2", "3", "4");
        assertThat(visitors.toVisitor(V, new LiveSignal("typing", "", "{\"typing\":true}"))).isEqualTo(1);
        assertThat(resumed.frames.get(3)).isEqualTo("event: typing\ndata: {\"type\":\"typing\",\"data\":{\"typing\":true}}\n\n");
        assertThat(visitors.isConnected(V)).isTrue();
        visitors.close(V, resumed);
        assertThat(visitors.isConnected(V)).isFalse();
        assertThat(visitors.toVisitor(V, new LiveSignal("typing", "", "{}"))).isZero();
    }

    @Test
    void aSlowStreamIsClosedAndStreamsAreCounted() {
        Collecting slow = new Collecting(1);
        visitors.open(V, 0, slow);
        visitors.append(V, "in-1", "in", "one", List.of(), AT);
        visitors.append(V, "in-2", "in", "two", List.of(), AT);
        assertThat(slow.closed).isTrue();
        assertThat(visitors.openStreams()).isZero();
        visitors.open(V, 0, new Collecting(10));
        visitors.open("v-BBBBBBBBBBBBBBBBBBBBBB", 0, new Collecting(10));
        visitors.open("v-CCCCCCCCCCCCCCCCCCCCCC", 0, new Collecting(10));
        assertThatThrownBy(() -> visitors.open("v-DDDDDDDDDDDDDDDDDDDDDD", 0, new Collecting(10)))
                .isInstanceOf(Visitors.TooManyStreamsException.class);
    }

    @Test
    void oldTranscriptsAreSweptAndLongOnesKeepTheirNewestLines() throws Exception {
        visitors.append(V, "in-1", "in", "old", List.of(), AT);
        Files.setLastModifiedTime(dir.resolve(V + ".jsonl"), FileTime.from(Instant.now().minus(Duration.ofHours(25))));
        visitors.append("v-BBBBBBBBBBBBBBBBBBBBBB", "in-1", "in", "new", List.of(), AT);
        assertThat(visitors.sweep()).isEqualTo(1);
        assertThat(visitors.transcript(V)).isEmpty();
        assertThat(visitors.transcript("v-BBBBBBBBBBBBBBBBBBBBBB")).hasSize(1);

        for (int i = 1; i <= Visitors.MAX_LINES + 1; i++) {
            visitors.append(V, "in-" + i, "in", "x", List.of(), AT);
        }
        List<Visitors.Entry> kept = visitors.transcript(V);
        assertThat(kept).hasSize(Visitors.MAX_LINES / 2 + 1);
        assertThat(kept.get(kept.size() - 1).seq()).isEqualTo(Visitors.MAX_LINES + 1);
    }

    @Test
    void theHubsSubscribersGetTheVisitorsSignalsUntilTheyLeave() {
        List<LiveSignal> got = new CopyOnWriteArrayList<>();
        LiveChannel.Subscription s = visitors.subscribe(V, got::add);
        assertThat(visitors.fromVisitor(V, new LiveSignal("rtc.answer", "i-1", "{}"))).isEqualTo(1);
        s.close();
        s.close();
        assertThat(visitors.fromVisitor(V, new LiveSignal("rtc.answer", "i-1", "{}"))).isZero();
        assertThat(got).extracting(LiveSignal::type).containsExactly("rtc.answer");
    }
}
