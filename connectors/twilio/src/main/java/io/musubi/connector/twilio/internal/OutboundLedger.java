package io.musubi.connector.twilio.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The connector's durable record of what it sent to Twilio, per hub message id: Twilio's Messages API has no
 * idempotency key, so this is what keeps a redelivered reply (after a crash, a timeout, a 5xx) from being sent twice.
 * One small file per message under {@code <state>/outbound/<shard>/<messageId>}, written atomically and forced to
 * disk before the egress transaction commits, and an index {@code <state>/sids/<shard>/<MessageSid>} naming the hub
 * message a Twilio message belongs to.
 *
 * <p>Each entry holds when the first attempt began (an attempt whose outcome is unknown), Twilio's MessageSid once
 * known, and the highest-ranked status recorded for the message (the "no regression" rule of status callbacks).
 * Entries older than the retention are pruned. Thread-safe; never holds message text or numbers.
 */
final class OutboundLedger {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._@-]{1,200}");
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{2,64}");

    /**
     * One message's record.
     *
     * @param attemptedAt when the first attempt to create it at Twilio began, or null when none is pending
     * @param sid         Twilio's MessageSid, or empty while unknown
     * @param status      the highest-ranked status recorded, or null
     * @param updatedAt   the last change
     */
    record Entry(Instant attemptedAt, String sid, TwilioStatus status, Instant updatedAt) {

        boolean sent() {
            return !sid.isEmpty();
        }

        int rank() {
            return status == null ? 0 : status.rank();
        }
    }

    private final Path outbound;
    private final Path sids;
    private final Clock clock;
    private final Object[] stripes = new Object[64];

    OutboundLedger(Path stateDirectory, Clock clock) {
        this.outbound = stateDirectory.resolve("outbound");
        this.sids = stateDirectory.resolve("sids");
        this.clock = clock;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    private Object lock(String messageId) {
        return stripes[Math.floorMod(messageId.hashCode(), stripes.length)];
    }

    /** The record of a message, if any. */
    Optional<Entry> get(String messageId) {
        return read(file(outbound, messageId));
    }

    /**
     * Records, durably, that an attempt to create the message at Twilio begins now; the first attempt's time is kept.
     */
    Entry attempting(String messageId) {
        synchronized (lock(messageId)) {
            Entry e = get(messageId).orElse(null);
            Instant now = clock.instant();
            Entry next = e == null ? new Entry(now, "", null, now)
                    : new Entry(e.attemptedAt() == null ? now : e.attemptedAt(), e.sid(), e.status(), now);
            write(messageId, next);
            return next;
        }
    }

    /** Twilio certainly did not create the message (it answered 4xx or 429): no attempt is pending any more. */
    void noAttemptPending(String messageId) {
        synchronized (lock(messageId)) {
            Entry e = get(messageId).orElse(null);
            if (e != null && !e.sent()) {
                write(messageId, new Entry(null, "", e.status(), clock.instant()));
            }
        }
    }

    /**
     * Records Twilio's id and a status of the message (its create answer, a status callback), keeping the
     * highest-ranked status; durable before it returns.
     *
     * @return the entry after the change
     */
    Entry record(String messageId, String sid, TwilioStatus status) {
        synchronized (lock(messageId)) {
            Entry e = get(messageId).orElse(new Entry(null, "", null, clock.instant()));
            String knownSid = e.sent() || sid == null || sid.isEmpty() ? e.sid() : sid;
            TwilioStatus kept = e.status() == null || (status != null && status.rank() >= e.status().rank())
                    ? (status == null ? e.status() : status) : e.status();
            Entry next = new Entry(knownSid.isEmpty() ? e.attemptedAt() : null, knownSid, kept, clock.instant());
            if (!knownSid.isEmpty() && !knownSid.equals(e.sid()) && SID.matcher(knownSid).matches()) {
                writeAtomically(file(sids, knownSid), messageId);
            }
            write(messageId, next);
            return next;
        }
    }

    /** The hub message a Twilio message belongs to, if this connector sent it. */
    Optional<String> messageOf(String sid) {
        if (!SID.matcher(sid).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file(sids, sid), StandardCharsets.UTF_8).strip());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("outbound ledger not readable", e);
        }
    }

    /** Removes entries not changed since {@code before}, and their index; returns how many. */
    int prune(Instant before) {
        int removed = 0;
        removed += prune(outbound, before, true);
        removed += prune(sids, before, false);
        return removed;
    }

    private int prune(Path root, Instant before, boolean count) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(root)) {
            for (Path shard : shards) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
                    for (Path f : files) {
                        if (Files.getLastModifiedTime(f).toInstant().isBefore(before)) {
                            Files.deleteIfExists(f);
                            if (count) {
                                removed++;
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("outbound ledger not prunable", e);
        }
        return removed;
    }

    private Path file(Path root, String name) {
        if (!ID.matcher(name).matches() || name.startsWith(".")) {
            throw new IllegalArgumentException("not a ledger key");
        }
        return root.resolve(shard(name)).resolve(name);
    }

    private static String shard(String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<Entry> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("outbound ledger not readable", e);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        String attempted = fields.getOrDefault("attemptedAt", "");
        String updated = fields.getOrDefault("updatedAt", "");
        return Optional.of(new Entry(attempted.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(attempted)),
                fields.getOrDefault("sid", ""), TwilioStatus.of(fields.get("status")).orElse(null),
                updated.isEmpty() ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(updated))));
    }

    private void write(String messageId, Entry e) {
        String text = "attemptedAt=" + (e.attemptedAt() == null ? "" : e.attemptedAt().toEpochMilli()) + "\n"
                + "sid=" + e.sid() + "\n"
                + "status=" + (e.status() == null ? "" : e.status().wireName()) + "\n"
                + "updatedAt=" + e.updatedAt().toEpochMilli() + "\n";
        writeAtomically(file(outbound, messageId), text);
    }

    /** Writes a file so that a crash leaves the old or the new content, forced to disk with its directory entry. */
    private static void writeAtomically(Path target, String text) {
        try {
            Path dir = target.getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException | UnsupportedOperationException notSupported) {
                // some file systems cannot force a directory; the rename is still atomic
            }
        } catch (IOException e) {
            throw new UncheckedIOException("outbound ledger not writable", e);
        }
    }
}
