package io.musubi.connector.asterisk.internal;

import io.musubi.spi.Backoff;
import io.musubi.spi.CallControlException;
import io.musubi.spi.ConnectorStatus;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.DefaultManagerConnection;
import org.asteriskjava.manager.EventTimeoutException;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.TimeoutException;
import org.asteriskjava.manager.action.EventGeneratingAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.PingAction;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.event.ShutdownEvent;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AMI session with one Asterisk, on Asterisk-Java's {@link ManagerConnection}, run on the connector's single worker
 * thread (every callback to the {@link Listener} happens there, in order).
 *
 * <ul>
 *   <li>Reconnects with the kit's {@link Backoff} (exponential, jittered, reset after a login): each attempt is a fresh
 *       connection; the library's own reconnect loop (fixed 50 ms / 5 s, no back-off) is stopped as soon as a
 *       connection drops.</li>
 *   <li>Liveness: a {@code Ping} every {@code pingSeconds}; no answer within the response timeout drops the
 *       connection (a half-open TCP connection never reports EOF).</li>
 *   <li>Health: UP when logged in, DEGRADED while reconnecting, DOWN when Asterisk refuses the credentials.</li>
 *   <li>Registers on every connection the event classes the library lacks ({@link #EXTRA_EVENT_CLASSES}) and, inside
 *       OSGi, the library's own ({@link LibraryEventClasses}): it drops events it has no class for.</li>
 * </ul>
 *
 * Nothing the library or Asterisk says is logged as it is: its messages and events can carry caller numbers. The
 * secret only reaches the library's login.
 */
final class AmiSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AmiSession.class);

    /** Event classes registered on every connection: the hub's UserEvents and the list-complete event the library lacks. */
    static final List<Class<? extends ManagerEvent>> EXTRA_EVENT_CLASSES;

    static {
        List<Class<? extends ManagerEvent>> l = new ArrayList<>(HubUserEvents.ALL);
        l.add(AmiExtras.DeviceStateListCompleteEvent.class);
        EXTRA_EVENT_CLASSES = List.copyOf(l);
    }

    /** What the session tells the connector, on the worker thread. */
    interface Listener {
        /** Logged in (first time or after a reconnect): time to re-sync. */
        void onConnected();

        /** The connection is gone; Asterisk replays nothing of what happens until the next {@link #onConnected()}. */
        void onDisconnected();

        void onEvent(ManagerEvent event);
    }

    /** Creates the library's connection for one attempt (tests may wrap it). */
    interface ConnectionFactory {
        ManagerConnection create(AsteriskSettings settings);
    }

    static final ConnectionFactory DEFAULT_FACTORY = s -> {
        DefaultManagerConnection c = new DefaultManagerConnection(s.host, s.port, s.username, s.secret());
        c.setSsl(s.tls);
        c.setDefaultResponseTimeout(s.responseTimeout.toMillis());
        c.setDefaultEventTimeout(Math.max(10_000, s.responseTimeout.toMillis() * 2));
        c.setSocketTimeout((int) s.responseTimeout.toMillis());
        return c;
    };

    private final AsteriskSettings settings;
    private final ScheduledExecutorService worker;
    private final ConnectorStatus status;
    private final Listener listener;
    private final ConnectionFactory factory;
    private final Backoff backoff;
    private final List<Class<? extends ManagerEvent>> eventClasses;
    private volatile ManagerConnection connection;
    private volatile boolean closed;
    private ScheduledFuture<?> ping;
    private ScheduledFuture<?> retry;
    private int generation;

    AmiSession(AsteriskSettings settings, ScheduledExecutorService worker, ConnectorStatus status, Listener listener,
               ConnectionFactory factory) {
        this.settings = settings;
        this.worker = worker;
        this.status = status;
        this.listener = listener;
        this.factory = factory;
        this.backoff = new Backoff(settings.reconnect, settings.reconnectMax);
        List<Class<? extends ManagerEvent>> classes = new ArrayList<>(LibraryEventClasses.find());
        classes.addAll(EXTRA_EVENT_CLASSES);
        this.eventClasses = List.copyOf(classes);
    }

    /** Starts connecting (asynchronously, on the worker). */
    void start() {
        worker.execute(this::connect);
    }

    boolean isConnected() {
        ManagerConnection c = connection;
        return c != null && c.getState() == ManagerConnectionState.CONNECTED;
    }

    private void connect() {
        if (closed || isConnected()) {
            return;
        }
        retry = null;
        ManagerConnection c = factory.create(settings);
        for (Class<? extends ManagerEvent> type : eventClasses) {
            c.registerUserEventClass(type);
        }
        int gen = ++generation;
        c.addEventListener(event -> {
            if (!closed) {
                worker.execute(() -> dispatch(gen, event));
            }
        });
        try {
            c.login();
        } catch (AuthenticationFailedException e) {
            status.down("Asterisk refused the AMI credentials of user " + settings.username);
            LOG.warn("Asterisk connector {}: AMI login to {}:{} refused (user {}); retrying", settings.id,
                    settings.host, settings.port, settings.username);
            quietly(c);
            scheduleReconnect();
            return;
        } catch (IOException | TimeoutException | RuntimeException e) {
            status.degraded("AMI " + settings.host + ":" + settings.port + " unreachable ("
                    + e.getClass().getSimpleName() + "), reconnecting");
            if (backoff.attempts() == 0) {
                LOG.info("Asterisk connector {}: AMI {}:{} unreachable ({}); retrying with back-off", settings.id,
                        settings.host, settings.port, e.getClass().getSimpleName());
            } else {
                LOG.debug("Asterisk connector {}: AMI still unreachable ({} attempts)", settings.id,
                        backoff.attempts());
            }
            quietly(c);
            scheduleReconnect();
            return;
        }
        if (closed) {
            quietly(c);
            return;
        }
        connection = c;
        backoff.reset();
        status.up("AMI connected to " + settings.host + ":" + settings.port + " (" + settings.mode.wireName() + ")");
        LOG.info("Asterisk connector {}: AMI connected to {}:{}", settings.id, settings.host, settings.port);
        long every = settings.ping.toMillis();
        ping = worker.scheduleWithFixedDelay(this::ping, every, every, TimeUnit.MILLISECONDS);
        try {
            listener.onConnected();
        } catch (RuntimeException e) {
            LOG.warn("Asterisk connector {}: re-sync after connecting failed: {}", settings.id,
                    e.getClass().getSimpleName());
        }
    }

    private void dispatch(int gen, ManagerEvent event) {
        if (gen != generation || closed) {
            return; // an event of a connection given up already
        }
        if (event instanceof DisconnectEvent) {
            lost("connection lost");
            return;
        }
        if (event instanceof ShutdownEvent) {
            status.degraded("Asterisk is shutting down");
        }
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("Asterisk connector {}: handling a {} failed: {}", settings.id,
                    event.getClass().getSimpleName(), e.toString());
        }
    }

    private void ping() {
        if (!isConnected()) {
            return;
        }
        try {
            ManagerResponse r = connection.sendAction(new PingAction(), settings.responseTimeout.toMillis());
            if (r == null || r instanceof ManagerError) {
                lost("no answer to Ping");
            }
        } catch (IOException | TimeoutException | IllegalStateException e) {
            lost("no answer to Ping");
        }
    }

    /** Gives the current connection up and schedules a new one. */
    private void lost(String why) {
        ManagerConnection c = connection;
        if (c == null) {
            return;
        }
        connection = null;
        generation++;
        if (ping != null) {
            ping.cancel(false);
        }
        quietly(c);
        status.degraded("AMI " + why + ", reconnecting");
        status.increment(ConnectorStatus.RECONNECTS);
        LOG.info("Asterisk connector {}: AMI {}; reconnecting", settings.id, why);
        try {
            listener.onDisconnected();
        } catch (RuntimeException e) {
            LOG.warn("Asterisk connector {}: disconnect handling failed: {}", settings.id, e.getClass().getSimpleName());
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closed || retry != null) {
            return;
        }
        Duration delay = backoff.nextDelay();
        retry = worker.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the library's own reconnect loop and closes the socket, whatever state the connection is in. */
    private static void quietly(ManagerConnection c) {
        try {
            if (c.getState() == ManagerConnectionState.CONNECTED
                    || c.getState() == ManagerConnectionState.RECONNECTING) {
                c.logoff();
            }
        } catch (RuntimeException ignored) {
            // already gone
        }
    }

    /**
     * Sends an action and waits for its response.
     *
     * @throws CallControlException UNAVAILABLE when not connected or Asterisk does not answer; REFUSED (with Asterisk's
     *                              message) for an error response when {@code refusedIsError}
     */
    ManagerResponse send(ManagerAction action) {
        ManagerConnection c = connection;
        if (c == null || c.getState() != ManagerConnectionState.CONNECTED) {
            throw new CallControlException(CallControlException.Reason.UNAVAILABLE, "the PBX is not connected");
        }
        try {
            ManagerResponse r = c.sendAction(action, settings.responseTimeout.toMillis());
            if (r == null) {
                throw new CallControlException(CallControlException.Reason.UNAVAILABLE, "the PBX did not answer");
            }
            return r;
        } catch (IOException | TimeoutException | IllegalStateException e) {
            throw new CallControlException(CallControlException.Reason.UNAVAILABLE,
                    "the PBX did not answer " + action.getAction());
        }
    }

    /** Sends an event-generating action (a list) and waits for its events. */
    List<ResponseEvent> list(EventGeneratingAction action) {
        ManagerConnection c = connection;
        if (c == null || c.getState() != ManagerConnectionState.CONNECTED) {
            throw new CallControlException(CallControlException.Reason.UNAVAILABLE, "the PBX is not connected");
        }
        try {
            ResponseEvents events = c.sendEventGeneratingAction(action,
                    Math.max(10_000, settings.responseTimeout.toMillis() * 2));
            if (events.getResponse() instanceof ManagerError) {
                throw new CallControlException(CallControlException.Reason.REFUSED,
                        action.getAction() + " was refused");
            }
            return List.copyOf(events.getEvents());
        } catch (EventTimeoutException e) {
            throw new CallControlException(CallControlException.Reason.UNAVAILABLE,
                    "the PBX did not complete " + action.getAction());
        } catch (IOException | IllegalStateException e) {
            throw new CallControlException(CallControlException.Reason.UNAVAILABLE,
                    "the PBX did not answer " + action.getAction());
        }
    }

    @Override
    public void close() {
        closed = true;
        if (ping != null) {
            ping.cancel(false);
        }
        if (retry != null) {
            retry.cancel(false);
        }
        ManagerConnection c = connection;
        connection = null;
        if (c != null) {
            quietly(c);
        }
    }
}
