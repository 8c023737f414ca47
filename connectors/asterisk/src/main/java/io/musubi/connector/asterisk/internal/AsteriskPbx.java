package io.musubi.connector.asterisk.internal;

import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdEngine;
import io.musubi.api.Health;
import io.musubi.api.HubEventListener;
import io.musubi.model.InteractionEvent;
import io.musubi.model.PresenceChange;
import io.musubi.spi.CallControl;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.IngressGateway;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.asteriskjava.manager.event.ManagerEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PBX, in plain Java (the OSGi component {@link AsteriskConnector} wraps it; tests build it directly): the AMI
 * session, the calls, the agents' phones and queue membership, call control. Everything runs on one worker thread,
 * in the order things happened: AMI events, the hub's events (it is a {@link HubEventListener}) and call-control
 * requests, so there is no lock and no race between them.
 */
final class AsteriskPbx implements HubEventListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AsteriskPbx.class);

    private final AsteriskSettings settings;
    private final ScheduledExecutorService worker;
    private final ConnectorStatus status = new ConnectorStatus();
    private final AmiSession session;
    private final Outbox outbox;
    private final CallTracker calls;
    private final MemberSync members;
    private final AsteriskCallControl callControl;
    private ScheduledFuture<?> memberSync;
    private ScheduledFuture<?> dirtySync;

    AsteriskPbx(AsteriskSettings settings, IngressGateway ingress, AcdEngine acd, Clock clock,
                AmiSession.ConnectionFactory factory) {
        this.settings = settings;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "musubi-asterisk-" + settings.id);
            t.setDaemon(true);
            return t;
        });
        this.outbox = new Outbox(ingress, worker, status);
        PhoneStates phones = new PhoneStates(settings.agents, acd, settings.id);
        this.session = new AmiSession(settings, worker, status, new AmiSession.Listener() {
            @Override
            public void onConnected() {
                connected();
            }

            @Override
            public void onDisconnected() {
                // calls are kept: the re-sync after the reconnect reconciles them
            }

            @Override
            public void onEvent(ManagerEvent event) {
                calls.onEvent(event);
                scheduleMemberSync();
            }
        }, factory);
        this.members = new MemberSync(settings, session, acd);
        this.calls = new CallTracker(settings, session, outbox, acd, clock, phones, members, status);
        this.callControl = new AsteriskCallControl(settings, session, calls, worker);
    }

    void start() {
        session.start();
        if (settings.mode == AsteriskSettings.Mode.PBX_ROUTED) {
            long every = settings.memberSync.toMillis();
            memberSync = worker.scheduleWithFixedDelay(this::syncAllMembers, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private void connected() {
        try {
            calls.resync();
        } catch (RuntimeException e) {
            LOG.warn("Asterisk connector {}: re-sync failed ({}); the next reconnect tries again", settings.id,
                    e.getClass().getSimpleName());
        }
        if (settings.mode == AsteriskSettings.Mode.PBX_ROUTED) {
            syncAllMembers();
        }
    }

    private void syncAllMembers() {
        try {
            members.syncAll();
        } catch (RuntimeException e) {
            LOG.info("Asterisk connector {}: queue member sync failed: {}", settings.id, e.getClass().getSimpleName());
        }
    }

    private void scheduleMemberSync() {
        if (settings.mode != AsteriskSettings.Mode.PBX_ROUTED || !members.hasDirty() || dirtySync != null) {
            return;
        }
        dirtySync = worker.schedule(() -> {
            dirtySync = null;
            try {
                members.syncDirty();
            } catch (RuntimeException e) {
                LOG.info("Asterisk connector {}: queue member sync failed: {}", settings.id,
                        e.getClass().getSimpleName());
            }
        }, 50, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onInteractionEvent(InteractionEvent event) {
        if (!settings.tenantId.equals(event.tenantId())) {
            return;
        }
        worker.execute(() -> {
            try {
                calls.onHubEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Asterisk connector {}: handling hub event {} ({}) failed: {}", settings.id, event.id(),
                        event.type(), e.getClass().getSimpleName());
            }
            String agent = event.attributes().get(AcdAttributes.AGENT_ID);
            if (agent != null) {
                members.markDirty(agent);
                scheduleMemberSync();
            }
        });
    }

    @Override
    public void onPresenceChange(PresenceChange change) {
        if (settings.mode != AsteriskSettings.Mode.PBX_ROUTED || !settings.tenantId.equals(change.tenantId())) {
            return;
        }
        worker.execute(() -> {
            members.markDirty(change.agentId());
            scheduleMemberSync();
        });
    }

    CallControl callControl() {
        return callControl;
    }

    ConnectorStatus status() {
        return status;
    }

    Map<String, Long> counters() {
        return status.counters();
    }

    Health health() {
        Health h = status.health();
        Map<String, String> details = new HashMap<>(h.details());
        details.put("mode", settings.mode.wireName());
        details.put("pending", Integer.toString(outbox.pending()));
        return new Health(h.status(), h.detail(), details);
    }

    Map<String, String> describe() {
        return settings.describe();
    }

    /** Runs a task on the worker and waits (tests: everything before it has been handled). */
    void drain() throws Exception {
        worker.submit(() -> null).get(30, TimeUnit.SECONDS);
    }

    /** Calls known now (tests). */
    int calls() throws Exception {
        return worker.submit(calls::calls).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (memberSync != null) {
            memberSync.cancel(false);
        }
        try {
            worker.submit(() -> {
                session.close();
                outbox.close();
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            session.close();
        }
        worker.shutdownNow();
    }
}
