package io.musubi.connector.asterisk.internal;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.AgentStatus;
import io.musubi.model.Channel;
import io.musubi.model.ScopedId;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.asteriskjava.manager.action.QueueAddAction;
import org.asteriskjava.manager.action.QueuePauseAction;
import org.asteriskjava.manager.action.QueueRemoveAction;
import org.asteriskjava.manager.event.QueueMemberEvent;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PBX-routed mode: each agent's queue membership and pause state follow the hub (design point ②). An agent logged in
 * to the hub is a member of the configured Asterisk queues ({@code memberQueues}; Asterisk forgets dynamic members on
 * restart, so they are re-added after every reconnect), removed when it logs out, and paused whenever the hub's ACD
 * would not offer it a call: its presence is not routable, VOICE is toggled off, its phone is busy, it is at capacity
 * or another channel's work blocks calls (the ACD's cross-channel rules and shared capacity). So an agent busy on LINE
 * or chat, as the ACD counts it, gets no call from app_queue either.
 *
 * <p>Pauses are sent without a queue (all the member's queues) with the reason {@code musubi:<presence>}. Runs on the
 * connector's worker thread; {@link #markDirty} comes from hub events, {@link #syncAll} after a re-sync and
 * periodically.
 */
final class MemberSync {

    private static final Logger LOG = LoggerFactory.getLogger(MemberSync.class);

    /** What Asterisk says of one member interface. */
    private static final class Member {
        final Set<String> queues = new HashSet<>();
        Boolean paused;
    }

    private final AsteriskSettings settings;
    private final AmiSession ami;
    private final AcdEngine acd;
    private final Map<String, Member> members = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();

    MemberSync(AsteriskSettings settings, AmiSession ami, AcdEngine acd) {
        this.settings = settings;
        this.ami = ami;
        this.acd = acd;
    }

    /** An agent's presence or load changed. */
    void markDirty(String agentId) {
        if (ScopedId.belongsTo(agentId, settings.tenantId)) {
            dirty.add(agentId);
        }
    }

    boolean hasDirty() {
        return !dirty.isEmpty();
    }

    /** Brings the agents marked dirty in line. */
    void syncDirty() {
        if (!ami.isConnected()) {
            return;
        }
        List<String> agents = List.copyOf(dirty);
        dirty.clear();
        for (String agent : agents) {
            acd.agent(agent).ifPresent(this::sync);
        }
    }

    /** What QueueStatus listed: the members as Asterisk has them now. */
    void onQueueStatus(List<QueueMemberEvent> listed) {
        members.clear();
        for (QueueMemberEvent m : listed) {
            String iface = m.getLocation() != null ? m.getLocation() : m.getInterface();
            if (iface == null) {
                continue;
            }
            Member known = members.computeIfAbsent(key(iface), k -> new Member());
            known.queues.add(m.getQueue());
            known.paused = m.getPaused();
        }
    }

    /** A member was added, removed or (un)paused, by us or by someone else. */
    void onMember(String queue, String iface, Boolean paused, boolean removed) {
        if (iface == null) {
            return;
        }
        Member known = members.computeIfAbsent(key(iface), k -> new Member());
        if (removed) {
            known.queues.remove(queue);
        } else if (queue != null) {
            known.queues.add(queue);
        }
        if (paused != null) {
            known.paused = paused;
        }
    }

    /** Every agent of the tenant that has an extension. */
    void syncAll() {
        if (!ami.isConnected()) {
            return;
        }
        for (AgentStatus a : acd.agents()) {
            if (ScopedId.belongsTo(a.agentId(), settings.tenantId)) {
                sync(a);
            }
        }
    }

    private void sync(AgentStatus a) {
        Optional<String> ext = settings.agents.extension(a.agentId());
        if (ext.isEmpty()) {
            return;
        }
        String iface = settings.agents.memberInterface(ext.get());
        Member known = members.computeIfAbsent(key(iface), k -> new Member());
        boolean loggedIn = a.state().isLoggedIn();
        boolean paused = !a.routableChannels().contains(Channel.VOICE);
        for (String queue : settings.memberQueues) {
            if (loggedIn && !known.queues.contains(queue)) {
                QueueAddAction add = new QueueAddAction(queue, iface);
                add.setMemberName(ScopedId.localOf(a.agentId()));
                add.setStateInterface(settings.agents.device(ext.get()));
                add.setPaused(paused);
                add.setReason(reason(a));
                if (ok(add.getAction(), ami.send(add))) {
                    known.queues.add(queue);
                    known.paused = paused;
                }
            } else if (!loggedIn && known.queues.contains(queue)) {
                if (ok("QueueRemove", ami.send(new QueueRemoveAction(queue, iface)))) {
                    known.queues.remove(queue);
                }
            }
        }
        if (loggedIn && !known.queues.isEmpty() && !Boolean.valueOf(paused).equals(known.paused)) {
            QueuePauseAction pause = new QueuePauseAction(iface, paused);
            pause.setReason(reason(a));
            if (ok("QueuePause", ami.send(pause))) {
                known.paused = paused;
            }
        }
    }

    private static String reason(AgentStatus a) {
        return "musubi:" + a.state().name().toLowerCase(Locale.ROOT);
    }

    private boolean ok(String action, ManagerResponse r) {
        if (r instanceof ManagerError) {
            LOG.info("Asterisk connector {}: {} refused", settings.id, action);
            return false;
        }
        return true;
    }

    private static String key(String iface) {
        return iface.toLowerCase(Locale.ROOT);
    }
}
