package io.musubi.connector.mail.internal;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for new mail with IMAP IDLE (RFC 2177) on a connection of its own, read-only, beside camel-mail's polling
 * connection: {@link #awaitNewMail} returns when the server announces a change of the mailbox, when the wait is over
 * (the connector then polls anyway, and IDLE is renewed well within the servers' 30-minute limit), or when it is
 * aborted. A server without IDLE, or a failure, makes it return false at once: the caller polls on its interval
 * instead. After a failure IDLE is tried again only after a pause, so a broken server is not hammered.
 */
final class ImapIdler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImapIdler.class);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(1);

    private final Session session;
    private final String protocol;
    private final String host;
    private final int port;
    private final Supplier<PasswordAuthentication> credentials;
    private final String folderName;
    private final ScheduledExecutorService watchdog;
    private final Object lock = new Object();
    private IMAPStore store;
    private volatile IMAPFolder folder;
    private volatile boolean unsupported;
    private volatile long failedAtNanos;
    private volatile boolean closed;
    /** The folder's message count when the caller last polled because of it. */
    private int lastTotal = -1;

    ImapIdler(Session session, String protocol, String host, int port, Supplier<PasswordAuthentication> credentials,
              String folderName, String name) {
        this.session = session;
        this.protocol = protocol;
        this.host = host;
        this.port = port;
        this.credentials = credentials;
        this.folderName = folderName;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "musubi-mail-idle-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Waits until the mailbox changes or {@code max} passed.
     *
     * @param running false once the caller stops
     * @return true when IDLE was used (the caller polls now), false when it could not be (the caller waits its poll
     *         interval)
     */
    boolean awaitNewMail(Duration max, BooleanSupplier running) {
        if (unsupported || closed || (failedAtNanos != 0
                && System.nanoTime() - failedAtNanos < RETRY_AFTER_FAILURE.toNanos())) {
            return false;
        }
        IMAPFolder f;
        try {
            f = open();
            if (f == null) {
                return false;
            }
        } catch (MessagingException | RuntimeException e) {
            failed(e);
            return false;
        }
        if (!running.getAsBoolean()) {
            return true;
        }
        try {
            // Mail that came between the last poll and this IDLE is announced before IDLE starts (and then ends
            // nothing): a NOOP brings such news in, and a changed message count means poll now.
            f.doCommand(p -> {
                p.simpleCommand("NOOP", null);
                return null;
            });
            int total = f.getMessageCount();
            if (total != lastTotal) {
                lastTotal = total;
                return true;
            }
        } catch (MessagingException | RuntimeException e) {
            failed(e);
            return false;
        }
        // Jakarta Mail ends IDLE when another call needs the connection, but only once a second has passed since the
        // last command: the watchdog keeps asking until the wait is over.
        ScheduledFuture<?> timeout = watchdog.scheduleWithFixedDelay(this::abort, max.toMillis(), 250,
                TimeUnit.MILLISECONDS);
        try {
            LOG.debug("IDLE on {}", folderName);
            f.idle(true); // returns on the first untagged response (EXISTS, EXPUNGE, FETCH) or when aborted
            LOG.debug("IDLE on {} ended", folderName);
            lastTotal = f.getMessageCount();
            failedAtNanos = 0;
            return true;
        } catch (MessagingException | RuntimeException e) {
            if (closed) {
                return true;
            }
            failed(e);
            return false;
        } finally {
            timeout.cancel(false);
        }
    }

    private IMAPFolder open() throws MessagingException {
        synchronized (lock) {
            if (closed) {
                return null;
            }
            if (store == null || !store.isConnected()) {
                disconnect();
                Store s = session.getStore(protocol);
                if (!(s instanceof IMAPStore imap)) {
                    unsupported = true;
                    return null;
                }
                PasswordAuthentication auth = credentials.get();
                imap.connect(host, port, auth.getUserName(), auth.getPassword());
                store = imap;
                if (!imap.hasCapability("IDLE")) {
                    LOG.info("The IMAP server of mailbox {} has no IDLE: it is polled", folderName);
                    unsupported = true;
                    disconnect();
                    return null;
                }
            }
            IMAPFolder f = folder;
            if (f == null || !f.isOpen()) {
                f = (IMAPFolder) store.getFolder(folderName);
                f.open(Folder.READ_ONLY);
                folder = f;
                lastTotal = -1;
            }
            return f;
        }
    }

    private void failed(Exception e) {
        failedAtNanos = System.nanoTime();
        LOG.debug("IMAP IDLE not available for now: {}", e.getClass().getSimpleName(), e);
        synchronized (lock) {
            disconnect();
        }
    }

    /** Ends a wait in progress (another call on the folder makes the client end IDLE). */
    void abort() {
        IMAPFolder f = folder;
        if (f != null) {
            try {
                f.getMessageCount();
            } catch (MessagingException | RuntimeException e) {
                // the connection is gone: the wait ends with it
            }
        }
    }

    private void disconnect() {
        IMAPFolder f = folder;
        folder = null;
        if (f != null) {
            try {
                f.close(false);
            } catch (MessagingException | RuntimeException e) {
                // closing anyway
            }
        }
        if (store != null) {
            try {
                store.close();
            } catch (MessagingException | RuntimeException e) {
                // closing anyway
            }
            store = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        // Closing the store from another thread ends an IDLE in progress.
        IMAPStore s;
        synchronized (lock) {
            s = store;
        }
        if (s != null) {
            try {
                s.close();
            } catch (MessagingException | RuntimeException e) {
                // closing anyway
            }
        }
        synchronized (lock) {
            disconnect();
        }
        watchdog.shutdownNow();
    }
}
