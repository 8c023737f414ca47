package io.musubi.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A fixed-rate load generator for the demo connector: drops {@code count} numbered files
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
                String id = id(prefix, i);
                Path tmp = inbox.resolve(id + ".tmp");
                Files.writeString(tmp, "message " + i, StandardCharsets.UTF_8);
                Files.move(tmp, inbox.resolve(id + ".txt"), StandardCopyOption.ATOMIC_MOVE);
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
