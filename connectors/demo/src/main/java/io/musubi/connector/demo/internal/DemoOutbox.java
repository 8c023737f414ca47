package io.musubi.connector.demo.internal;

import io.musubi.model.OutboundMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The demo connector's "delivery": one file per reply, named by the message id, written atomically. A redelivered
 * message replaces its own file, so the outbox holds every reply exactly once.
 */
final class DemoOutbox {

    private final Path directory;

    DemoOutbox(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    Path write(OutboundMessage message) throws IOException {
        if (!message.id().matches("[A-Za-z0-9._-]{1,128}")) {
            throw new IllegalArgumentException("message id is not fit for a file name");
        }
        Files.createDirectories(directory);
        Path target = directory.resolve(message.id() + ".txt");
        Path tmp = directory.resolve(message.id() + ".tmp");
        Files.writeString(tmp, message.content().text(), StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }
}
