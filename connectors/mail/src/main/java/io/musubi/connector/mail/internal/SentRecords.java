package io.musubi.connector.mail.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The replies this connector instance handed to the SMTP server, one small file per outbound message id holding our
 * Message-ID. The egress queue can deliver a reply again after a crash between the SMTP server's acceptance and the
 * queue's commit: a reply found here is not sent twice. (In the narrower window between the acceptance and this
 * record, it is sent again with the same Message-ID, which the customer's mail client shows once.) Records older than
 * the retention are deleted.
 */
final class SentRecords {

    private final Path directory;
    private final Duration retention;

    SentRecords(Path directory, Duration retention) {
        this.directory = directory;
        this.retention = retention;
    }

    Path directory() {
        return directory;
    }

    /** Our Message-ID of a reply already sent, or empty. */
    Optional<String> find(String outboundId) {
        Path file = file(outboundId);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records a reply as sent (written atomically). */
    void record(String outboundId, String messageId) {
        try {
            Files.createDirectories(directory);
            Path tmp = Files.createTempFile(directory, "sent", ".tmp");
            try {
                Files.writeString(tmp, messageId, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file(outboundId), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file(outboundId), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes records older than the retention; returns how many. */
    int prune(Instant now) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        FileTime oldest = FileTime.from(now.minus(retention));
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.sent")) {
            for (Path f : files) {
                if (Files.getLastModifiedTime(f).compareTo(oldest) < 0 && Files.deleteIfExists(f)) {
                    deleted++;
                }
            }
        } catch (IOException e) {
            // pruning is best effort
        }
        return deleted;
    }

    private Path file(String outboundId) {
        String name = outboundId.matches("[A-Za-z0-9_-]{1,128}") ? outboundId : "h-" + MailMapper.sha256(outboundId);
        return directory.resolve(name + ".sent");
    }
}
