package io.musubi.connector.asterisk.internal;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.Actors;
import io.musubi.model.Channel;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents' phones as the PBX reports them (DeviceStateChange, ExtensionStatus, ContactStatus, PeerStatus), applied to
 * the ACD through its public hooks:
 *
 * <ul>
 *   <li>in use, busy, ringing or on hold: {@link AcdEngine#setDeviceBusy} true: no offers on any channel while the
 *       agent is on the phone (a private call, a PBX-routed call), and the agent shows BUSY; idle: false;</li>
 *   <li>unregistered or unavailable: the agent is not routable for VOICE (the per-channel availability toggle, set
 *       with the connector as actor); registered again: VOICE is routable again. A toggle the agent or a supervisor
 *       set is never undone: the connector only re-enables what it disabled.</li>
 * </ul>
 *
 * Each change is applied once (a report that changes nothing calls nothing). Runs on the connector's worker thread.
 */
final class PhoneStates {

    private static final Logger LOG = LoggerFactory.getLogger(PhoneStates.class);

    private final AgentDirectory directory;
    private final AcdEngine acd;
    private final String actor;
    private final Map<String, Boolean> busy = new HashMap<>();
    private final Set<String> voiceOffByUs = new HashSet<>();

    PhoneStates(AgentDirectory directory, AcdEngine acd, String connectorId) {
        this.directory = directory;
        this.acd = acd;
        this.actor = Actors.connector(connectorId);
    }

    /** {@code DeviceStateChange Device: PJSIP/1001 State: INUSE}. */
    void onDeviceState(String device, String state) {
        Optional<String> agent = directory.agentOfDevice(device);
        if (agent.isEmpty() || state == null) {
            return;
        }
        switch (state.toUpperCase(Locale.ROOT)) {
            case "INUSE", "BUSY", "RINGING", "RINGINUSE", "ONHOLD" -> {
                registered(agent.get(), true);
                busy(agent.get(), true);
            }
            case "NOT_INUSE" -> {
                registered(agent.get(), true);
                busy(agent.get(), false);
            }
            case "UNAVAILABLE", "INVALID" -> {
                busy(agent.get(), false);
                registered(agent.get(), false);
            }
            default -> {
                // UNKNOWN: nothing known
            }
        }
    }

    /** {@code ExtensionStatus Hint: PJSIP/1001 Status: 1} (bit mask: 1 in use, 2 busy, 4 unavailable, 8 ringing, 16 on hold). */
    void onExtensionStatus(String hint, Integer status) {
        if (hint == null || status == null) {
            return;
        }
        String device = hint.contains("&") ? hint.substring(0, hint.indexOf('&')) : hint;
        Optional<String> agent = directory.agentOfDevice(device);
        if (agent.isEmpty() || status < 0) {
            return;
        }
        if (status == 4) {
            busy(agent.get(), false);
            registered(agent.get(), false);
        } else {
            registered(agent.get(), true);
            busy(agent.get(), (status & (1 | 2 | 8 | 16)) != 0);
        }
    }

    /** {@code ContactStatus} (PJSIP registration) or {@code PeerStatus}: whether the phone is registered. */
    void onRegistration(String device, String status) {
        Optional<String> agent = directory.agentOfDevice(device);
        if (agent.isEmpty() || status == null) {
            return;
        }
        switch (status.toLowerCase(Locale.ROOT)) {
            case "created", "reachable", "nonqualified", "updated", "registered" -> registered(agent.get(), true);
            case "removed", "unreachable", "unregistered", "rejected" -> registered(agent.get(), false);
            default -> {
                // Unknown, ...: nothing known
            }
        }
    }

    private void busy(String agent, boolean value) {
        Boolean last = busy.get(agent);
        if (last != null && last == value) {
            return;
        }
        if (acd.agent(agent).isEmpty()) {
            return;
        }
        acd.setDeviceBusy(agent, value, actor);
        busy.put(agent, value);
    }

    private void registered(String agent, boolean value) {
        var status = acd.agent(agent);
        if (status.isEmpty()) {
            return;
        }
        if (!value && status.get().enabledChannels().contains(Channel.VOICE)) {
            acd.setChannelEnabled(agent, Channel.VOICE, false, actor);
            voiceOffByUs.add(agent);
            LOG.info("Agent {}: phone unregistered, not routable for VOICE", agent);
        } else if (value && voiceOffByUs.remove(agent)) {
            acd.setChannelEnabled(agent, Channel.VOICE, true, actor);
            LOG.info("Agent {}: phone registered, routable for VOICE again", agent);
        }
    }

    /** Forgets what was applied, so that the next reports (a re-sync's DeviceStateList) are applied again. */
    void forgetBusy() {
        busy.clear();
    }
}
