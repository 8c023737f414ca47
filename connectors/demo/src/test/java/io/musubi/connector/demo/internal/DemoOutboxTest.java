package io.musubi.connector.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoOutboxTest {

    @TempDir
    Path dir;

    private static OutboundMessage message(String id, String text) {
        return new OutboundMessage(id, "t", "i", "demo", Channel.WEBCHAT, Address.parse("webchat:v"),
                MessageContent.text(text), Map.of(), Instant.EPOCH);
    }

    @Test
    void aRedeliveredReplyReplacesItsOwnFile() throws Exception {
        DemoOutbox outbox = new DemoOutbox(dir.resolve("out"));
        outbox.write(message("o-1", "hello"));
        outbox.write(message("o-1", "hello"));
        try (var files = Files.list(dir.resolve("out"))) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("o-1.txt");
        }
        assertThat(Files.readString(dir.resolve("out/o-1.txt"))).isEqualTo("hello");
    }

    @Test
    void refusesIdsThatAreNotFileNames() {
        DemoOutbox outbox = new DemoOutbox(dir);
        assertThatThrownBy(() -> outbox.write(message("../etc/passwd", "x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
