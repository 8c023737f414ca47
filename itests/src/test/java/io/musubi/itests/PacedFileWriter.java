package io.musubi.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Files for the demo connector: a fixed-rate load generator that drops {@code count} numbered files
 * ({@code <prefix><00001>.txt}, written atomically) into an inbox, one every {@code periodMillis}, on a
 * scheduler. {@link #done()} completes when the last file is written.
 */
public final class PacedFileWriter {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "paced-file-writer");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private PacedFileWriter() {
    }

    /** Starts writing; {@code afterEach} is told the number of every file written (1-based). */
    public static PacedFileWriter start(Path inbox, String prefix, int count, long periodMillis, IntConsumer afterEach) {
        PacedFileWriter writer = new PacedFileWriter();
        AtomicInteger next = new AtomicInteger(1);
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        task[0] = writer.scheduler.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i > count) {
                return;
            }
            try {
                drop(inbox, id(prefix, i), "message " + i);
                afterEach.accept(i);
                if (i == count) {
                    writer.done.complete(null);
                }
            } catch (IOException | RuntimeException e) {
                writer.done.completeExceptionally(e instanceof IOException io ? new UncheckedIOException(io) : e);
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
        writer.done.whenComplete((v, t) -> {
            task[0].cancel(false);
            writer.scheduler.shutdown();
        });
        return writer;
    }

    /** Drops one message file the way a provider would: written aside, then renamed into the inbox. */
    public static void drop(Path inbox, String id, String text) throws IOException {
        Path tmp = inbox.resolve(id + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, inbox.resolve(id + ".txt"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The ids of the {@code <id>.txt} files in a directory (inbox, .done, outbox); empty if it does not exist. */
    public static Set<String> idsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                    .map(n -> n.substring(0, n.length() - 4)).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** The id of file number {@code i}. */
    public static String id(String prefix, int i) {
        return prefix + String.format("%05d", i);
    }

    public CompletableFuture<Void> done() {
        return done;
    }

    /** Waits for the last file; rethrows what made the writer fail. */
    public void awaitDone(long timeoutSeconds) throws Exception {
        done.get(timeoutSeconds, TimeUnit.SECONDS);
    }
}
