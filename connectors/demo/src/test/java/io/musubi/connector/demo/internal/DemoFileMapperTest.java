package io.musubi.connector.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.model.Address;
import io.musubi.model.InboundEvent;
import io.musubi.spi.MalformedInputException;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class DemoFileMapperTest {

    private final DemoFileMapper mapper = new DemoFileMapper("demo.a", "t1", Address.parse("webchat:v"));

    @Test
    void fileNameIsTheEventIdAndContentTheText() {
        InboundEvent e = mapper.toEvent("msg-000042.txt", " hello \n", Instant.EPOCH);
        assertThat(e.eventId()).isEqualTo("msg-000042");
        assertThat(e.dedupeKey()).isEqualTo("demo.a/msg-000042");
        assertThat(e.content().text()).isEqualTo("hello");
        assertThat(e.tenantId()).isEqualTo("t1");
    }

    @Test
    void rejectsOtherFilesAndOversizedContent() {
        assertThatThrownBy(() -> mapper.toEvent(".txt", "x", Instant.EPOCH)).isInstanceOf(MalformedInputException.class);
        assertThatThrownBy(() -> mapper.toEvent("a.json", "x", Instant.EPOCH)).isInstanceOf(MalformedInputException.class);
        assertThatThrownBy(() -> mapper.toEvent("a.txt", "x".repeat(DemoFileMapper.MAX_TEXT + 1), Instant.EPOCH))
                .isInstanceOf(MalformedInputException.class);
    }

    @Test
    void aConfiguredQueueGoesOnTheEvent() {
        DemoFileMapper queued = new DemoFileMapper("demo.a", "t1", Address.parse("webchat:v"), "support");
        assertThat(queued.toEvent("m.txt", "x", Instant.EPOCH).attributes()).containsEntry("musubi.queue", "support");
        assertThat(mapper.toEvent("m.txt", "x", Instant.EPOCH).attributes()).doesNotContainKey("musubi.queue");
    }
}
