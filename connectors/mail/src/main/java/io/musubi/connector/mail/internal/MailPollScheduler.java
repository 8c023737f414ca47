package io.musubi.connector.mail.internal;

import io.musubi.spi.Backoff;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When camel-mail's IMAP consumer polls the mailbox: on one thread of its own, again as soon as the server announces
 * new mail over IMAP IDLE ({@link ImapIdler}, where the server has it and it is enabled), else every poll interval;
 * after a failed poll (server unreachable, credentials refused) again after an exponential, jittered back-off
 * ({@link Backoff}), reset by the first good poll. {@link MailPollStrategy} tells it how each poll went.
 *
 * <p>The thread's context class loader is the connector bundle's, so Jakarta Mail and Activation find their providers
 * in the embedded jars.
 */
final class MailPollScheduler extends ServiceSupport implements ScheduledPollConsumerScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(MailPollScheduler.class);

    private final String name;
    private final Duration pollInterval;
    private final ImapIdler idler;
    private final Backoff backoff;
    private final ClassLoader classLoader;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private CamelContext camelContext;
    private volatile Runnable task;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean lastPollFailed;
    private boolean woken;

    /**
     * @param idler waits for new mail over IMAP IDLE; null to poll only
     */
    MailPollScheduler(String name, Duration pollInterval, ImapIdler idler, Backoff backoff, ClassLoader classLoader) {
        this.name = name;
        this.pollInterval = pollInterval;
        this.idler = idler;
        this.backoff = backoff;
        this.classLoader = classLoader;
    }

    /** The last poll failed: wait the back-off before the next one. */
    void pollFailed() {
        lastPollFailed = true;
    }

    /** The last poll went well. */
    void pollSucceeded() {
        lastPollFailed = false;
    }

    /** Polls now (a test, or a reconnect asked for by an operator). */
    void pollNow() {
        lock.lock();
        try {
            woken = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (idler != null) {
            idler.abort();
        }
    }

    @Override
    public void onInit(Consumer consumer) {
        // nothing to prepare: the consumer hands its task to scheduleTask
    }

    @Override
    public void scheduleTask(Runnable task) {
        this.task = task;
    }

    @Override
    public void unscheduleTask() {
        this.task = null;
    }

    @Override
    public synchronized void startScheduler() {
        if (thread != null) {
            return;
        }
        running = true;
        Thread t = new Thread(this::loop, "musubi-mail-" + name);
        t.setDaemon(true);
        t.setContextClassLoader(classLoader);
        thread = t;
        t.start();
    }

    @Override
    public boolean isSchedulerStarted() {
        return thread != null;
    }

    @Override
    protected void doStop() throws Exception {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (idler != null) {
            idler.close();
        }
        if (t != null) {
            pollNow();
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(15));
        }
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    private void loop() {
        while (running) {
            Runnable t = task;
            if (t != null) {
                t.run(); // the consumer's poll; it never throws
            }
            if (!running) {
                break;
            }
            if (lastPollFailed) {
                Duration delay = backoff.nextDelay();
                LOG.debug("Mailbox {}: next poll in {} ms after a failure", name, delay.toMillis());
                sleep(delay);
                continue;
            }
            backoff.reset();
            if (idler == null || !idler.awaitNewMail(pollInterval, () -> running)) {
                sleep(pollInterval);
            }
        }
    }

    /** Sleeps until the delay passed, {@link #pollNow()} or a stop. */
    private void sleep(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        lock.lock();
        try {
            while (running && !woken) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wake.awaitNanos(left);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }
}
