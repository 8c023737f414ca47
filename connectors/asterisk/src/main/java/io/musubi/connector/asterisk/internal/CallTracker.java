package io.musubi.connector.asterisk.internal;

import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AgentStatus;
import io.musubi.acd.QueueDefinition;
import io.musubi.acd.WaitingInteraction;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.ScopedId;
import io.musubi.spi.CallControlException;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.ConnectorStatus;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.GetVarAction;
import org.asteriskjava.manager.action.HangupAction;
import org.asteriskjava.manager.action.QueueStatusAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.event.AgentCalledEvent;
import org.asteriskjava.manager.event.AgentCompleteEvent;
import org.asteriskjava.manager.event.AgentConnectEvent;
import org.asteriskjava.manager.event.AgentRingNoAnswerEvent;
import org.asteriskjava.manager.event.AttendedTransferEvent;
import org.asteriskjava.manager.event.BlindTransferEvent;
import org.asteriskjava.manager.event.BridgeDestroyEvent;
import org.asteriskjava.manager.event.BridgeEnterEvent;
import org.asteriskjava.manager.event.BridgeLeaveEvent;
import org.asteriskjava.manager.event.ChanSpyStartEvent;
import org.asteriskjava.manager.event.ChanSpyStopEvent;
import org.asteriskjava.manager.event.ContactStatusEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.DeviceStateChangeEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.ExtensionStatusEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.MixMonitorStartEvent;
import org.asteriskjava.manager.event.MixMonitorStopEvent;
import org.asteriskjava.manager.event.MusicOnHoldStartEvent;
import org.asteriskjava.manager.event.MusicOnHoldStopEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.PeerStatusEvent;
import org.asteriskjava.manager.event.QueueCallerAbandonEvent;
import org.asteriskjava.manager.event.QueueCallerJoinEvent;
import org.asteriskjava.manager.event.QueueEntryEvent;
import org.asteriskjava.manager.event.QueueMemberAddedEvent;
import org.asteriskjava.manager.event.QueueMemberEvent;
import org.asteriskjava.manager.event.QueueMemberPausedEvent;
import org.asteriskjava.manager.event.QueueMemberRemovedEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.event.VarSetEvent;
import org.asteriskjava.manager.response.GetVarResponse;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls of one PBX and what they mean for the hub. AMI events in (on the worker thread, in order), inbound events
 * out (through the {@link Outbox}), and the ACD's decisions carried out on the PBX (a Redirect to the agent the ACD
 * offered the call to, back to the holding place when the offer timed out or the agent refused).
 *
 * <p>Every inbound event id is derived from the customer channel's Uniqueid and the AMI event (its timestamp), never
 * random, and the ones the re-sync may also produce ({@code <uniqueid>/arrived}, {@code <uniqueid>/ended}) are fixed,
 * so a repeat is dropped by the hub. The thread key is the call's Linkedid (every leg of a call shares it).
 */
final class CallTracker {

    private static final Logger LOG = LoggerFactory.getLogger(CallTracker.class);
    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9*#]{1,32}");
    private static final Pattern DNIS = Pattern.compile("[A-Za-z0-9*#+_-]{1,32}");
    private static final int MAX_VARS = 10_000;

    /** What the hub asked a supervisor's monitoring channel to do, until its ChanSpyStart. */
    record PendingMonitor(String callUniqueid, String mode, String supervisor) {
    }

    private final AsteriskSettings settings;
    private final AmiSession ami;
    private final Outbox outbox;
    private final AcdEngine acd;
    private final Clock clock;
    private final PhoneStates phones;
    private final MemberSync members;
    private final ConnectorStatus status;

    private final Map<String, Call> byUniqueid = new LinkedHashMap<>();
    private final Map<String, Call> byLinkedid = new HashMap<>();
    private final Map<String, Call> byInteraction = new HashMap<>();
    private final Map<String, Map<String, String>> vars = new LinkedHashMap<>();
    private final Map<String, String> recordingFiles = new HashMap<>();
    private final Map<String, Set<String>> bridges = new HashMap<>();
    private final Map<String, String> channelNames = new HashMap<>();
    private final Map<String, PendingMonitor> pendingMonitors = new HashMap<>();
    private final Map<String, Call> originates = new HashMap<>();

    CallTracker(AsteriskSettings settings, AmiSession ami, Outbox outbox, AcdEngine acd, Clock clock,
                PhoneStates phones, MemberSync members, ConnectorStatus status) {
        this.settings = settings;
        this.status = status;
        this.ami = ami;
        this.outbox = outbox;
        this.acd = acd;
        this.clock = clock;
        this.phones = phones;
        this.members = members;
    }

    // ------------------------------------------------------------------ AMI events

    void onEvent(ManagerEvent e) {
        if (e instanceof ResponseEvent r && r.getActionId() != null && !(e instanceof OriginateResponseEvent)) {
            return; // items of a list the re-sync asked for: read there
        }
        if (e instanceof HubUserEvents.HubInboundEvent hub) {
            onHubInbound(hub);
        } else if (e instanceof HubUserEvents.HubIvrChoiceEvent choice) {
            remember(choice.getUniqueId(), "IVR_CHOICE", choice.getChoice());
            rememberChannelVariables(choice.getUniqueId(), choice.getChannelVariables());
        } else if (e instanceof VarSetEvent v) {
            onVarSet(v);
        } else if (e instanceof QueueCallerJoinEvent j) {
            onQueueJoin(j);
        } else if (e instanceof AgentCalledEvent a) {
            onAgentCalled(a);
        } else if (e instanceof AgentRingNoAnswerEvent a) {
            onRingNoAnswer(a);
        } else if (e instanceof AgentConnectEvent a) {
            onAgentConnect(a);
        } else if (e instanceof AgentCompleteEvent a) {
            onAgentComplete(a);
        } else if (e instanceof QueueCallerAbandonEvent a) {
            onAbandon(a);
        } else if (e instanceof DialBeginEvent d) {
            onDialBegin(d);
        } else if (e instanceof DialEndEvent d) {
            onDialEnd(d);
        } else if (e instanceof BridgeEnterEvent b) {
            onBridgeEnter(b);
        } else if (e instanceof BridgeLeaveEvent b) {
            Set<String> inBridge = bridges.get(b.getBridgeUniqueId());
            if (inBridge != null) {
                inBridge.remove(b.getUniqueId());
            }
        } else if (e instanceof BridgeDestroyEvent b) {
            bridges.remove(b.getBridgeUniqueId());
        } else if (e instanceof MusicOnHoldStartEvent m) {
            onMusicOnHold(m.getUniqueId(), true, e);
        } else if (e instanceof MusicOnHoldStopEvent m) {
            onMusicOnHold(m.getUniqueId(), false, e);
        } else if (e instanceof MixMonitorStartEvent m) {
            onRecording(m.getUniqueId(), m.getChannel(), true, e);
        } else if (e instanceof MixMonitorStopEvent m) {
            onRecording(m.getUniqueId(), m.getChannel(), false, e);
        } else if (e instanceof ChanSpyStartEvent s) {
            onSpy(s.getSpyerUniqueId(), s.getSpyeeUniqueId(), true, e);
        } else if (e instanceof ChanSpyStopEvent s) {
            onSpy(s.getSpyerUniqueId(), s.getSpyeeUniqueId(), false, e);
        } else if (e instanceof BlindTransferEvent t) {
            onTransferred(t.getTransfererUniqueId(), t.getTransfereeUniqueId(), "blind", t.getExtension(), e);
        } else if (e instanceof AttendedTransferEvent t) {
            onTransferred(t.getOrigTransfererUniqueid(), t.getTransfereeUniqueid(), "attended",
                    t.getSecondTransfererExten(), e);
        } else if (e instanceof HangupEvent h) {
            onHangup(h.getUniqueId(), e);
        } else if (e instanceof OriginateResponseEvent o) {
            onOriginateResponse(o);
        } else if (e instanceof DeviceStateChangeEvent d) {
            phones.onDeviceState(d.getDevice(), d.getState());
        } else if (e instanceof ExtensionStatusEvent x) {
            phones.onExtensionStatus(x.getHint(), x.getStatus());
        } else if (e instanceof ContactStatusEvent c) {
            if (c.getEndpointName() != null && c.getContactStatus() != null) {
                phones.onRegistration("PJSIP/" + c.getEndpointName(), c.getContactStatus().toString());
            }
        } else if (e instanceof PeerStatusEvent p) {
            phones.onRegistration(p.getPeer(), p.getPeerStatus());
        } else if (e instanceof QueueMemberAddedEvent m) {
            members.onMember(m.getQueue(), m.getInterface(), m.getPaused(), false);
        } else if (e instanceof QueueMemberRemovedEvent m) {
            members.onMember(m.getQueue(), m.getInterface(), null, true);
        } else if (e instanceof QueueMemberPausedEvent m) {
            members.onMember(m.getQueue(), m.getInterface(), m.getPaused(), false);
        }
    }

    private void onHubInbound(HubUserEvents.HubInboundEvent hub) {
        String uid = hub.getUniqueId();
        if (!AmiValues.isId(uid)) {
            // No call to tie it to (an AMI UserEvent action sent without a channel, a broken dialplan line).
            status.increment(ConnectorStatus.MALFORMED);
            LOG.warn("Asterisk connector {}: a HubInbound event without a usable Uniqueid was ignored", settings.id);
            return;
        }
        rememberChannelVariables(uid, hub.getChannelVariables());
        if (settings.mode != AsteriskSettings.Mode.HUB_ROUTED || byUniqueid.containsKey(uid)) {
            return; // pbx-routed: the queue's join creates the interaction; a call back in holding is known
        }
        String dnis = hub.getDnis() != null ? hub.getDnis() : hub.getExten();
        Call c = track(new Call(uid, idOr(hub.getLinkedid(), uid), Call.Route.HUB,
                ani(HubUserEvents.lastValue(hub.getCallerIdNum())), dnis(dnis), at(hub), hub.getChannel()));
        Map<String, String> attributes = arrivalAttributes(c, HubUserEvents.lastValue(hub.getQueue()));
        if ("true".equalsIgnoreCase(HubUserEvents.lastValue(hub.getVip()))) {
            attributes.put(AcdAttributes.VIP, "true");
        }
        submit(c, InteractionEventType.ARRIVED, "arrived", attributes, c.arrivedAt);
    }

    private void onVarSet(VarSetEvent v) {
        String name = v.getVariable();
        if (name == null || !AmiValues.isId(v.getUniqueId())) {
            return;
        }
        String bare = name.replaceFirst("^_+", "");
        if ("MIXMONITOR_FILENAME".equals(bare) && v.getValue() != null) {
            recordingFiles.put(v.getUniqueId(), v.getValue());
        } else if ("VMSTATUS".equals(bare) && "SUCCESS".equals(v.getValue())) {
            voicemailLeft(v.getUniqueId(), at(v));
        } else if (settings.ivrVariables.contains(bare)) {
            remember(v.getUniqueId(), bare, v.getValue());
        }
    }

    private void onQueueJoin(QueueCallerJoinEvent j) {
        String uid = j.getUniqueId();
        if (settings.mode != AsteriskSettings.Mode.PBX_ROUTED || !AmiValues.isId(uid) || byUniqueid.containsKey(uid)) {
            return;
        }
        Call c = track(new Call(uid, idOr(j.getLinkedId(), uid), Call.Route.PBX, ani(j.getCallerIdNum()),
                dnis(j.getExten()), at(j), j.getChannel()));
        submit(c, InteractionEventType.ARRIVED, "arrived", pbxArrival(c, j.getQueue(), j.getPosition()), c.arrivedAt);
    }

    private Map<String, String> pbxArrival(Call c, String queue, Integer position) {
        Map<String, String> attributes = arrivalAttributes(c, null);
        attributes.put(ConnectorAttributes.ROUTING, ConnectorAttributes.ROUTING_EXTERNAL);
        if (AmiValues.isName(queue)) {
            attributes.put("asterisk.queue", queue);
            String mapped = settings.musubiQueueOf(queue);
            if (ScopedId.isValidLocal(mapped)) {
                attributes.put(ConnectorAttributes.QUEUE, mapped);
            }
        }
        if (position != null) {
            attributes.put("asterisk.position", position.toString());
        }
        return attributes;
    }

    private void onAgentCalled(AgentCalledEvent a) {
        Call c = pbxCall(a.getUniqueId());
        if (c == null) {
            return;
        }
        Map<String, String> attributes = agentAttributes(member(a.getMemberName(), a.getInterface()), a.getQueue());
        submit(c, InteractionEventType.OFFERED, "offered", attributes, at(a));
    }

    private void onRingNoAnswer(AgentRingNoAnswerEvent a) {
        Call c = pbxCall(a.getUniqueId());
        if (c == null) {
            return;
        }
        Map<String, String> attributes = agentAttributes(member(a.getMemberName(), a.getInterface()), a.getQueue());
        if (a.getRingtime() != null) {
            attributes.put("ringMs", a.getRingtime().toString()); // AgentRingNoAnswer's RingTime is in ms
        }
        submit(c, InteractionEventType.OFFER_TIMEOUT, "ring-no-answer", attributes, at(a));
    }

    private void onAgentConnect(AgentConnectEvent a) {
        Call c = pbxCall(a.getUniqueId());
        if (c == null) {
            return;
        }
        Optional<String> agent = member(a.getMemberName(), a.getInterface());
        c.phase = Call.Phase.CONNECTED;
        c.agentId = agent.orElse("");
        c.agentChannel = orEmpty(a.getDestChannel());
        Map<String, String> attributes = agentAttributes(agent, a.getQueue());
        if (a.getHoldTime() != null) {
            attributes.put(AcdAttributes.WAIT_MS, Long.toString(a.getHoldTime() * 1000L)); // seconds on the wire
        }
        submit(c, InteractionEventType.ACCEPTED, "connect", attributes, at(a));
    }

    private void onAgentComplete(AgentCompleteEvent a) {
        Call c = pbxCall(a.getUniqueId());
        if (c == null || c.ended || c.leftQueue) {
            return;
        }
        Map<String, String> attributes = new HashMap<>();
        if (a.getReason() != null && AmiValues.isName(a.getReason())) {
            attributes.put(ConnectorAttributes.REASON, a.getReason());
        }
        if (a.getTalkTime() != null) {
            attributes.put("talkMs", Long.toString(a.getTalkTime() * 1000L));
        }
        end(c, attributes, at(a));
    }

    private void onAbandon(QueueCallerAbandonEvent a) {
        Call c = pbxCall(a.getUniqueId());
        if (c == null || c.ended) {
            return;
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put(ConnectorAttributes.REASON, "abandoned");
        if (a.getHoldTime() != null) {
            attributes.put(AcdAttributes.WAIT_MS, Long.toString(a.getHoldTime() * 1000L)); // seconds on the wire
        }
        end(c, attributes, at(a));
    }

    private void onDialBegin(DialBeginEvent d) {
        Call c = byUniqueid.get(d.getUniqueId());
        if (c != null && c.route == Call.Route.HUB && c.phase == Call.Phase.RINGING) {
            c.agentChannel = orEmpty(d.getDestChannel());
        }
    }

    private void onDialEnd(DialEndEvent d) {
        Call c = byUniqueid.get(d.getUniqueId());
        if (c == null || c.ended) {
            return;
        }
        String status = d.getDialStatus() == null ? "" : d.getDialStatus().toUpperCase(Locale.ROOT);
        if (c.route == Call.Route.OUTBOUND) {
            if ("ANSWER".equals(status)) {
                c.customerChannel = orEmpty(d.getDestChannel());
            }
            return;
        }
        if (c.route != Call.Route.HUB || c.phase != Call.Phase.RINGING) {
            return;
        }
        if ("ANSWER".equals(status)) {
            c.phase = Call.Phase.CONNECTED;
            c.agentChannel = orEmpty(d.getDestChannel());
            submit(c, InteractionEventType.ACCEPTED, "answered", agentAttributes(Optional.of(c.agentId), null), at(d));
            return;
        }
        if (c.redirecting || "CANCEL".equals(status)) {
            // our own Redirect cancelled that dial, or the caller left (its Hangup ends the call)
            c.redirecting = false;
            return;
        }
        // the agent's phone was busy, unreachable or did not answer within the Dial's timeout
        String agent = c.agentId;
        Map<String, String> attributes = agentAttributes(Optional.of(agent), null);
        attributes.put(ConnectorAttributes.REASON, status.isEmpty() ? "failed" : status.toLowerCase(Locale.ROOT));
        c.phase = Call.Phase.WAITING;
        c.agentId = "";
        redirectQuietly(c, settings.holdContext, settings.holdExtension);
        submit(c, InteractionEventType.REJECTED, "dial-" + status.toLowerCase(Locale.ROOT), attributes, at(d));
    }

    private void onBridgeEnter(BridgeEnterEvent b) {
        String bridge = b.getBridgeUniqueId();
        String uid = b.getUniqueId();
        if (bridge == null || uid == null) {
            return;
        }
        channelNames.put(uid, orEmpty(b.getChannel()));
        Set<String> inBridge = bridges.computeIfAbsent(bridge, k -> new HashSet<>());
        inBridge.add(uid);
        // the other party of a known call in this bridge
        for (String m : inBridge) {
            Call c = byUniqueid.get(m);
            if (c == null) {
                continue;
            }
            c.bridgeId = bridge;
            for (String other : inBridge) {
                if (!other.equals(c.uniqueid)) {
                    String name = channelNames.getOrDefault(other, "");
                    if (c.route == Call.Route.OUTBOUND) {
                        c.customerChannel = name;
                    } else if (!name.isEmpty()) {
                        c.agentChannel = name;
                    }
                }
            }
        }
    }

    private void onMusicOnHold(String uid, boolean start, ManagerEvent e) {
        Call c = callOfCustomerChannel(uid);
        if (c == null || c.ended) {
            return;
        }
        if (start && c.phase == Call.Phase.CONNECTED) {
            c.phase = Call.Phase.HELD;
            submit(c, InteractionEventType.HELD, "held", new HashMap<>(), at(e));
        } else if (!start && c.phase == Call.Phase.HELD) {
            c.phase = Call.Phase.CONNECTED;
            submit(c, InteractionEventType.RESUMED, "resumed", new HashMap<>(), at(e));
        }
    }

    private void onRecording(String uid, String channel, boolean start, ManagerEvent e) {
        Call c = callOfChannel(uid, channel);
        if (c == null || c.ended) {
            return;
        }
        if (start) {
            String file = recordingFiles.get(uid);
            if (file == null && AmiValues.isChannel(channel)) {
                file = getVar(channel, "MIXMONITOR_FILENAME").orElse("");
            }
            c.recording = true;
            c.recordingFile = file == null ? "" : file;
            submit(c, InteractionEventType.RECORDING_STARTED, "recording", recordingAttributes(c), at(e));
        } else if (c.recording) {
            c.recording = false;
            submit(c, InteractionEventType.RECORDING_STOPPED, "recording-stopped", recordingAttributes(c), at(e));
        }
    }

    private Map<String, String> recordingAttributes(Call c) {
        Map<String, String> a = new HashMap<>();
        if (!c.recordingFile.isEmpty()) {
            a.put("recording", "asterisk:" + settings.id + ":" + c.recordingFile);
            a.put("file", c.recordingFile);
        }
        return a;
    }

    private void onSpy(String spyer, String spyee, boolean start, ManagerEvent e) {
        if (spyer == null) {
            return;
        }
        if (start) {
            PendingMonitor asked = pendingMonitors.remove(spyer);
            Call c = asked != null ? byUniqueid.get(asked.callUniqueid()) : callOfChannel(spyee, null);
            if (c == null || c.ended) {
                return;
            }
            String mode = asked == null ? "unknown" : asked.mode();
            String supervisor = asked == null ? "" : asked.supervisor();
            c.monitors.put(spyer, new String[] {mode, supervisor});
            submit(c, InteractionEventType.CONFERENCED, "spy-" + spyer, monitorAttributes(mode, supervisor, "started"),
                    at(e));
        } else {
            for (Call c : byUniqueid.values()) {
                String[] m = c.monitors.remove(spyer);
                if (m != null && !c.ended) {
                    submit(c, InteractionEventType.CONFERENCED, "spy-stop-" + spyer,
                            monitorAttributes(m[0], m[1], "stopped"), at(e));
                    return;
                }
            }
        }
    }

    private static Map<String, String> monitorAttributes(String mode, String supervisor, String state) {
        Map<String, String> a = new HashMap<>();
        a.put("monitor", mode);
        a.put("monitorState", state);
        if (!supervisor.isEmpty()) {
            a.put("supervisor", supervisor);
        }
        return a;
    }

    private void onTransferred(String transferer, String transferee, String mode, String target, ManagerEvent e) {
        Call c = callOfChannel(transferee, null);
        if (c == null) {
            c = callOfAgentUniqueid(transferer);
        }
        if (c == null || c.ended) {
            return;
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put("transfer", mode);
        if (target != null && NUMBER.matcher(target).matches()) {
            attributes.put("target", target);
        }
        submit(c, InteractionEventType.TRANSFERRED, "transferred", attributes, at(e));
        c.phase = Call.Phase.GONE;
        end(c, Map.of(ConnectorAttributes.REASON, "transferred"), at(e));
    }

    private void onHangup(String uid, ManagerEvent e) {
        if (uid == null) {
            return;
        }
        vars.remove(uid);
        recordingFiles.remove(uid);
        channelNames.remove(uid);
        Call c = byUniqueid.get(uid);
        if (c == null) {
            c = byUniqueid.values().stream().filter(x -> x.route == Call.Route.OUTBOUND
                    && !x.customerChannel.isEmpty() && x.customerChannel.equals(channelOf(e))).findFirst().orElse(null);
        }
        if (c == null) {
            return;
        }
        if (!c.ended) {
            end(c, Map.of(), at(e));
        }
        if (c.heldByHub && uid.equals(c.uniqueid)) {
            hangUp(c, c.agentChannel); // the agent's line waits in agent-hold: the customer is gone
        }
        forget(c);
    }

    private void onOriginateResponse(OriginateResponseEvent o) {
        Call c = o.getActionId() == null ? null : originates.remove(o.getActionId());
        if (c == null || !"Failure".equalsIgnoreCase(o.getResponse()) || c.ended) {
            return;
        }
        String reason = switch (o.getReason() == null ? -1 : o.getReason()) {
            case 0 -> "unavailable";
            case 3 -> "no-answer";
            case 5 -> "busy";
            case 8 -> "congestion";
            default -> "failed";
        };
        end(c, Map.of(ConnectorAttributes.REASON, reason), at(o));
        forget(c);
    }

    private void voicemailLeft(String uid, Instant at) {
        Call c = byUniqueid.get(uid);
        if (c == null) {
            return;
        }
        // A follow-up interaction: the caller left a voicemail (the ACD overflowed the call to voicemail, or the
        // dialplan did): queued like a call, for an agent to call back.
        Map<String, String> attributes = new HashMap<>();
        attributes.put("asterisk.voicemail", "left");
        attributes.put("asterisk.followUp", c.uniqueid);
        attributes.put(ConnectorAttributes.QUEUE, queueOfCall(c));
        outbox.submit(new InboundEvent(c.uniqueid + "/voicemail", settings.id, settings.tenantId, Channel.VOICE,
                InteractionEventType.ARRIVED, c.from, c.to, c.linkedid + "/voicemail", null, attributes, at));
    }

    // ------------------------------------------------------------------ the ACD's decisions

    /** An event the hub recorded (from the hub's listener, on the worker thread). */
    void onHubEvent(InteractionEvent e) {
        if (e.channel() != Channel.VOICE || !ScopedId.isValidTenant(e.tenantId())
                || !e.tenantId().equals(settings.tenantId)) {
            return;
        }
        if (e.type() == InteractionEventType.ARRIVED) {
            arrived(e);
            return;
        }
        Call c = callOfInteraction(e.interactionId());
        if (c == null || c.route != Call.Route.HUB) {
            return;
        }
        String agent = e.attributes().getOrDefault(AcdAttributes.AGENT_ID, "");
        switch (e.type()) {
            case OFFERED -> {
                if (!c.ended && !agent.isEmpty() && !(c.agentId.equals(agent) && c.phase != Call.Phase.WAITING)) {
                    offer(c, agent);
                }
            }
            case OFFER_TIMEOUT, REJECTED -> {
                if (c.phase == Call.Phase.RINGING && agent.equals(c.agentId)) {
                    backToHold(c);
                }
            }
            case QUEUED -> {
                if (c.connected() || c.phase == Call.Phase.RINGING) {
                    backToHold(c); // transferred to a queue, or re-queued
                }
            }
            case ENDED, ABANDONED, WRAP_UP -> hubEnded(c, e);
            default -> {
            }
        }
    }

    /**
     * The hub opened an interaction for one of our arrivals: it names our event ({@code <uniqueid>/arrived}), so the
     * interaction is tied to its call before anything else happens to it.
     */
    private void arrived(InteractionEvent e) {
        String eventId = e.attributes().getOrDefault("sourceEventId", "");
        if (!settings.id.equals(e.attributes().get("source")) || !eventId.endsWith("/arrived")) {
            return;
        }
        Call c = byUniqueid.get(eventId.substring(0, eventId.length() - "/arrived".length()));
        if (c != null) {
            c.interactionId = e.interactionId();
            byInteraction.put(e.interactionId(), c);
        }
    }

    private void offer(Call c, String agent) {
        Optional<String> ext = settings.agents.extension(agent);
        if (ext.isEmpty()) {
            Map<String, String> a = agentAttributes(Optional.of(agent), null);
            a.put(ConnectorAttributes.REASON, "no-phone");
            submit(c, InteractionEventType.REJECTED, "no-phone-" + ScopedId.localOf(agent), a, clock.instant());
            return;
        }
        boolean wasRinging = c.phase == Call.Phase.RINGING;
        try {
            redirect(c, settings.routeContext, settings.agents.routeExtension(ext.get()));
        } catch (CallControlException ex) {
            if (ex.reason() == CallControlException.Reason.UNAVAILABLE) {
                Map<String, String> a = agentAttributes(Optional.of(agent), null);
                a.put(ConnectorAttributes.REASON, "pbx-unavailable");
                submit(c, InteractionEventType.REJECTED, "unavailable-" + c.nextSeq(), a, clock.instant());
            }
            return; // REFUSED: the channel is gone; its Hangup (or the re-sync) ends the call
        }
        c.redirecting = wasRinging;
        c.phase = Call.Phase.RINGING;
        c.agentId = agent;
    }

    private void backToHold(Call c) {
        boolean wasRinging = c.phase == Call.Phase.RINGING;
        c.phase = Call.Phase.WAITING;
        c.agentId = "";
        c.agentChannel = "";
        c.redirecting = wasRinging;
        redirectQuietly(c, settings.holdContext, settings.holdExtension);
    }

    private void hubEnded(Call c, InteractionEvent e) {
        if (c.ended || e.actor().equals(io.musubi.acd.Actors.connector(settings.id))
                || e.actor().equals(io.musubi.acd.Actors.CUSTOMER)) {
            return; // our own report coming back
        }
        c.ended = true;
        if ("voicemail".equals(e.attributes().get(AcdAttributes.OUTCOME)) && !settings.voicemailContext.isEmpty()) {
            c.phase = Call.Phase.GONE;
            redirectQuietly(c, settings.voicemailContext, settings.voicemailExtension);
            return;
        }
        // the hub ended the contact (an agent, a supervisor, max wait without overflow): the call ends too
        hangUp(c, c.customerChannel);
        if (c.heldByHub) {
            hangUp(c, c.agentChannel);
        }
    }

    private void hangUp(Call c, String channel) {
        if (!AmiValues.isChannel(channel)) {
            return;
        }
        try {
            ami.send(new HangupAction(channel));
        } catch (CallControlException ex) {
            LOG.info("Asterisk connector {}: could not hang up a channel of call {}: {}", settings.id, c.uniqueid,
                    ex.getMessage());
        }
    }

    // ------------------------------------------------------------------ re-sync

    /** After a (re)connect: what happened while the connector was away, from the PBX's current state. */
    void resync() {
        List<CoreShowChannelEvent> channels = new ArrayList<>();
        for (ResponseEvent r : ami.list(new CoreShowChannelsAction())) {
            if (r instanceof CoreShowChannelEvent c && AmiValues.isId(c.getUniqueid())) {
                channels.add(c);
            }
        }
        Map<String, CoreShowChannelEvent> live = new HashMap<>();
        Map<String, List<CoreShowChannelEvent>> byBridge = new HashMap<>();
        for (CoreShowChannelEvent c : channels) {
            live.put(c.getUniqueid(), c);
            channelNames.put(c.getUniqueid(), orEmpty(c.getChannel()));
            if (c.getBridgeid() != null && !c.getBridgeid().isBlank()) {
                byBridge.computeIfAbsent(c.getBridgeid(), k -> new ArrayList<>()).add(c);
            }
        }
        Instant now = clock.instant();
        // 1. calls known before the outage whose customer is gone: ended (no agent left holding a dead call)
        for (Call c : List.copyOf(byUniqueid.values())) {
            if (!live.containsKey(c.uniqueid)) {
                if (!c.ended) {
                    end(c, Map.of(ConnectorAttributes.REASON, "gone-during-outage"), now);
                }
                forget(c);
            } else if (c.route == Call.Route.HUB && c.phase == Call.Phase.RINGING) {
                answeredMeanwhile(c, live.get(c.uniqueid), byBridge, now);
            }
        }
        // 2. interactions the hub still holds for calls the PBX no longer has (the connector restarted)
        endOrphans(live, now);
        // 3. callers who arrived while the connector was away
        if (settings.mode == AsteriskSettings.Mode.HUB_ROUTED) {
            for (CoreShowChannelEvent ch : channels) {
                adoptHubCaller(ch, byBridge, now);
            }
        } else {
            resyncQueues(live, byBridge, now);
        }
        phones.forgetBusy();
        try {
            ami.list(new AmiExtras.DeviceStateListAction()); // its DeviceStateChange items arrive as events
        } catch (CallControlException ex) {
            LOG.info("Asterisk connector {}: DeviceStateList failed: {}", settings.id, ex.getMessage());
        }
    }

    private void answeredMeanwhile(Call c, CoreShowChannelEvent ch, Map<String, List<CoreShowChannelEvent>> byBridge,
                                   Instant now) {
        String bridge = ch.getBridgeid();
        if (bridge == null || bridge.isBlank()) {
            return;
        }
        for (CoreShowChannelEvent other : byBridge.getOrDefault(bridge, List.of())) {
            if (!other.getUniqueid().equals(c.uniqueid)) {
                c.agentChannel = orEmpty(other.getChannel());
            }
        }
        c.phase = Call.Phase.CONNECTED;
        submit(c, InteractionEventType.ACCEPTED, "answered-resync", agentAttributes(Optional.of(c.agentId), null),
                now);
    }

    private void endOrphans(Map<String, CoreShowChannelEvent> live, Instant now) {
        Set<String> liveLinkedids = new HashSet<>();
        for (CoreShowChannelEvent c : live.values()) {
            liveLinkedids.add(c.getLinkedid());
            liveLinkedids.add(c.getUniqueid());
        }
        for (Interaction i : ourInteractions()) {
            if (!liveLinkedids.contains(i.threadKey()) && !byLinkedid.containsKey(i.threadKey())
                    && AmiValues.isId(i.threadKey())) {
                outbox.submit(new InboundEvent(i.threadKey() + "/ended", settings.id, settings.tenantId,
                        Channel.VOICE, InteractionEventType.ENDED, i.from(), i.to(), i.threadKey(), null,
                        Map.of(ConnectorAttributes.REASON, "gone-during-outage"), now));
            }
        }
    }

    /** The interactions of this connector the ACD holds: waiting, offered or with an agent. */
    private List<Interaction> ourInteractions() {
        Set<String> ids = new HashSet<>();
        for (AgentStatus a : acd.agents()) {
            if (ScopedId.belongsTo(a.agentId(), settings.tenantId)) {
                ids.addAll(a.offered());
                ids.addAll(a.assigned());
            }
        }
        for (QueueDefinition q : acd.queues()) {
            if (ScopedId.belongsTo(q.id(), settings.tenantId)) {
                acd.waiting(q.id()).stream().map(WaitingInteraction::interactionId).forEach(ids::add);
            }
        }
        List<Interaction> ours = new ArrayList<>();
        for (String id : ids) {
            acd.interaction(id).filter(i -> i.channel() == Channel.VOICE)
                    .filter(i -> settings.id.equals(i.attributes().get("musubi.source"))).ifPresent(ours::add);
        }
        return ours;
    }

    private void adoptHubCaller(CoreShowChannelEvent ch, Map<String, List<CoreShowChannelEvent>> byBridge,
                                Instant now) {
        String uid = ch.getUniqueid();
        if (byUniqueid.containsKey(uid) || !uid.equals(ch.getLinkedid()) || !AmiValues.isChannel(ch.getChannel())) {
            return;
        }
        // Only the customer channel the dialplan marked (Set(__HUB_CALL=${UNIQUEID})) is a hub-routed caller.
        if (!uid.equals(getVar(ch.getChannel(), "HUB_CALL").orElse(""))) {
            return;
        }
        for (String name : settings.ivrVariables) {
            getVar(ch.getChannel(), name).filter(v -> !v.isEmpty()).ifPresent(v -> remember(uid, name, v));
        }
        Call c = track(new Call(uid, uid, Call.Route.HUB, ani(ch.getCallerIdNum()), dnis(ch.getExtension()), now,
                ch.getChannel()));
        submit(c, InteractionEventType.ARRIVED, "arrived", arrivalAttributes(c, null), now);
        connectedToAgent(c, ch, byBridge, now);
    }

    private void resyncQueues(Map<String, CoreShowChannelEvent> live, Map<String, List<CoreShowChannelEvent>> byBridge,
                              Instant now) {
        List<QueueMemberEvent> listed = new ArrayList<>();
        for (ResponseEvent r : ami.list(new QueueStatusAction())) {
            if (r instanceof QueueEntryEvent q && AmiValues.isId(q.getUniqueId())
                    && !byUniqueid.containsKey(q.getUniqueId())) {
                CoreShowChannelEvent ch = live.get(q.getUniqueId());
                String linked = ch == null ? q.getUniqueId() : idOr(ch.getLinkedid(), q.getUniqueId());
                Call c = track(new Call(q.getUniqueId(), linked, Call.Route.PBX, ani(q.getCallerId()),
                        dnis(ch == null ? null : ch.getExtension()), now, q.getChannel()));
                submit(c, InteractionEventType.ARRIVED, "arrived", pbxArrival(c, q.getQueue(), q.getPosition()), now);
            } else if (r instanceof QueueMemberEvent m) {
                listed.add(m);
            }
        }
        members.onQueueStatus(listed);
        // calls app_queue connected while the connector was away
        for (CoreShowChannelEvent ch : live.values()) {
            if ("Queue".equalsIgnoreCase(ch.getApplication()) && ch.getUniqueid().equals(ch.getLinkedid())
                    && !byUniqueid.containsKey(ch.getUniqueid()) && ch.getBridgeid() != null
                    && !ch.getBridgeid().isBlank()) {
                Call c = track(new Call(ch.getUniqueid(), ch.getLinkedid(), Call.Route.PBX, ani(ch.getCallerIdNum()),
                        dnis(ch.getExtension()), now, ch.getChannel()));
                submit(c, InteractionEventType.ARRIVED, "arrived", pbxArrival(c, firstArg(ch.getApplicationdata()),
                        null), now);
                connectedToAgent(c, ch, byBridge, now);
            }
        }
        members.syncAll();
    }

    /** A re-synced call bridged with an agent's phone: the agent has it. */
    private void connectedToAgent(Call c, CoreShowChannelEvent ch, Map<String, List<CoreShowChannelEvent>> byBridge,
                                  Instant now) {
        String bridge = ch.getBridgeid();
        if (bridge == null || bridge.isBlank()) {
            return;
        }
        for (CoreShowChannelEvent other : byBridge.getOrDefault(bridge, List.of())) {
            Optional<String> agent = settings.agents.agentOfChannel(other.getChannel());
            if (!other.getUniqueid().equals(c.uniqueid) && agent.isPresent()) {
                c.phase = Call.Phase.CONNECTED;
                c.agentId = agent.get();
                c.agentChannel = orEmpty(other.getChannel());
                submit(c, InteractionEventType.ACCEPTED, "answered-resync", agentAttributes(agent, null), now);
                return;
            }
        }
    }

    // ------------------------------------------------------------------ call control support

    /** The live call of an interaction of this connector (by its thread key). */
    Optional<Call> callOf(Interaction i) {
        Call c = byInteraction.get(i.id());
        if (c == null) {
            c = byLinkedid.get(i.threadKey());
        }
        if (c == null || c.ended) {
            return Optional.empty();
        }
        byInteraction.put(i.id(), c);
        c.interactionId = i.id();
        return Optional.of(c);
    }

    /** A click-to-dial call the hub just originated: tracked, and recorded as an outbound interaction the agent has. */
    void outbound(String callId, String agentId, Address customer, String actionId) {
        Instant now = clock.instant();
        Call c = track(new Call(callId, callId, Call.Route.OUTBOUND, customer, null, now, ""));
        c.phase = Call.Phase.CONNECTED;
        c.agentId = agentId;
        originates.put(actionId, c);
        Map<String, String> attributes = new HashMap<>();
        attributes.put(ConnectorAttributes.ROUTING, ConnectorAttributes.ROUTING_EXTERNAL);
        attributes.put("asterisk.direction", "outbound");
        attributes.put("asterisk.uniqueid", callId);
        if (!settings.defaultQueue.isEmpty()) {
            attributes.put(ConnectorAttributes.QUEUE, settings.defaultQueue);
        }
        submit(c, InteractionEventType.ARRIVED, "arrived", attributes, now);
        submit(c, InteractionEventType.ACCEPTED, "dialled", agentAttributes(Optional.of(agentId), null), now);
    }

    /** The hub started MixMonitor on the call with this file (in case no VarSet reports it). */
    void expectRecording(Call c, String file) {
        recordingFiles.put(c.uniqueid, file);
    }

    /** The hub asked a supervisor's channel (by the id it gave it) to monitor a call in a mode. */
    void monitorAsked(String spyerUniqueid, Call c, String mode, String supervisor) {
        pendingMonitors.put(spyerUniqueid, new PendingMonitor(c.uniqueid, mode, supervisor));
    }

    /** A transfer the hub made by Redirect (Asterisk reports none): recorded and the contact ends for the agent. */
    void transferredByHub(Call c, String target, String mode) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("transfer", mode);
        attributes.put("target", target);
        Instant now = clock.instant();
        submit(c, InteractionEventType.TRANSFERRED, "transferred", attributes, now);
        c.phase = Call.Phase.GONE;
        end(c, Map.of(ConnectorAttributes.REASON, "transferred"), now);
    }

    int calls() {
        return byUniqueid.size();
    }

    // ------------------------------------------------------------------ helpers

    private Call track(Call c) {
        byUniqueid.put(c.uniqueid, c);
        byLinkedid.putIfAbsent(c.linkedid, c);
        return c;
    }

    private void forget(Call c) {
        byUniqueid.remove(c.uniqueid);
        byLinkedid.remove(c.linkedid, c);
        if (!c.interactionId.isEmpty()) {
            byInteraction.remove(c.interactionId);
        }
        originates.values().remove(c);
    }

    private void end(Call c, Map<String, String> extra, Instant at) {
        if (c.ended) {
            return;
        }
        if (c.recording) {
            c.recording = false;
            Map<String, String> a = recordingAttributes(c);
            a.put(ConnectorAttributes.REASON, "hangup"); // a recording ended by hang-up has no MixMonitorStop
            submit(c, InteractionEventType.RECORDING_STOPPED, "recording-stopped", a, at);
        }
        c.ended = true;
        Map<String, String> attributes = new HashMap<>(extra);
        outbox.submit(new InboundEvent(c.uniqueid + "/ended", settings.id, settings.tenantId, Channel.VOICE,
                InteractionEventType.ENDED, c.from, c.to, c.linkedid, null, attributes, at));
    }

    private void submit(Call c, InteractionEventType type, String kind, Map<String, String> attributes, Instant at) {
        String id = "arrived".equals(kind) ? c.uniqueid + "/arrived"
                : c.uniqueid + "/" + kind + "/" + at.toEpochMilli() + "." + c.nextSeq();
        outbox.submit(new InboundEvent(id, settings.id, settings.tenantId, Channel.VOICE, type, c.from, c.to,
                c.linkedid, null, attributes, at));
    }

    private Map<String, String> arrivalAttributes(Call c, String queueHeader) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("asterisk.uniqueid", c.uniqueid);
        attributes.put("asterisk.mode", settings.mode.wireName());
        Map<String, String> ivr = vars.getOrDefault(c.uniqueid, Map.of());
        ivr.forEach((k, v) -> attributes.put("asterisk.ivr." + k, v));
        String queue = queueOf(ivr, queueHeader);
        if (!queue.isEmpty()) {
            attributes.put(ConnectorAttributes.QUEUE, queue);
        }
        return attributes;
    }

    /**
     * The first of these the tenant has: the IVR choice mapped by {@code choiceQueues}, the UserEvent's {@code Queue}
     * header; else the configured default queue (empty: the hub's default).
     */
    private String queueOf(Map<String, String> ivr, String queueHeader) {
        String choice = ivr.get("IVR_CHOICE");
        for (String q : new String[] {choice == null ? null : settings.choiceQueues.get(choice), queueHeader}) {
            if (q != null && ScopedId.isValidLocal(q)
                    && acd.queueStatistics(ScopedId.of(settings.tenantId, q)).isPresent()) {
                return q;
            }
        }
        return settings.defaultQueue;
    }

    private String queueOfCall(Call c) {
        if (!c.interactionId.isEmpty()) {
            Optional<Interaction> i = acd.interaction(c.interactionId);
            if (i.isPresent() && !i.get().queueId().isEmpty()) {
                return ScopedId.localOf(i.get().queueId());
            }
        }
        String q = queueOf(vars.getOrDefault(c.uniqueid, Map.of()), null);
        return q.isEmpty() ? "default" : q;
    }

    private Map<String, String> agentAttributes(Optional<String> agent, String queue) {
        Map<String, String> a = new HashMap<>();
        agent.filter(x -> !x.isEmpty()).ifPresent(x -> a.put(ConnectorAttributes.AGENT_ID, ScopedId.localOf(x)));
        if (queue != null && AmiValues.isName(queue)) {
            a.put("asterisk.queue", queue);
        }
        return a;
    }

    /** The agent of a queue member: the member name the connector gave it (the agent id), else its interface. */
    private Optional<String> member(String memberName, String iface) {
        if (memberName != null && ScopedId.isValidLocal(memberName)) {
            String scoped = ScopedId.of(settings.tenantId, memberName);
            if (acd.agent(scoped).isPresent()) {
                return Optional.of(scoped);
            }
        }
        return settings.agents.agentOfMemberInterface(iface).or(() -> settings.agents.agentOfChannel(iface));
    }

    private Call pbxCall(String uid) {
        Call c = uid == null ? null : byUniqueid.get(uid);
        return c != null && c.route == Call.Route.PBX ? c : null;
    }

    private Call callOfCustomerChannel(String uid) {
        if (uid == null) {
            return null;
        }
        Call c = byUniqueid.get(uid);
        if (c != null && c.route != Call.Route.OUTBOUND) {
            return c;
        }
        String name = channelNames.get(uid);
        for (Call x : byUniqueid.values()) {
            if (x.route == Call.Route.OUTBOUND && name != null && name.equals(x.customerChannel)) {
                return x;
            }
        }
        return null;
    }

    /** The call a channel belongs to: the customer's, the agent's or (outbound) the agent leg. */
    private Call callOfChannel(String uid, String channel) {
        Call c = uid == null ? null : byUniqueid.get(uid);
        if (c != null) {
            return c;
        }
        String name = channel != null ? channel : (uid == null ? null : channelNames.get(uid));
        if (name == null || name.isEmpty()) {
            return null;
        }
        for (Call x : byUniqueid.values()) {
            if (name.equals(x.agentChannel) || name.equals(x.customerChannel)) {
                return x;
            }
        }
        return null;
    }

    private Call callOfAgentUniqueid(String uid) {
        String name = uid == null ? null : channelNames.get(uid);
        if (name == null) {
            return null;
        }
        for (Call x : byUniqueid.values()) {
            if (name.equals(x.agentChannel)) {
                return x;
            }
        }
        return null;
    }

    private Call callOfInteraction(String interactionId) {
        Call c = byInteraction.get(interactionId);
        if (c != null) {
            return c;
        }
        Optional<Interaction> i = acd.interaction(interactionId);
        if (i.isEmpty() || !settings.id.equals(i.get().attributes().get("musubi.source"))) {
            return null;
        }
        c = byLinkedid.get(i.get().threadKey());
        if (c != null) {
            byInteraction.put(interactionId, c);
            c.interactionId = interactionId;
        }
        return c;
    }

    private void redirect(Call c, String context, String exten) {
        String channel = AmiValues.channel(c.customerChannel.isEmpty() ? c.channel : c.customerChannel);
        RedirectAction r = new RedirectAction(channel, AmiValues.name(context, "context"),
                AmiValues.name(exten, "extension"), 1);
        ManagerResponse response = ami.send(r);
        if (response instanceof ManagerError) {
            throw new CallControlException(CallControlException.Reason.REFUSED, "the PBX refused the redirect");
        }
    }

    private void redirectQuietly(Call c, String context, String exten) {
        try {
            redirect(c, context, exten);
        } catch (CallControlException ex) {
            LOG.info("Asterisk connector {}: redirect of call {} to {} failed: {}", settings.id, c.uniqueid, context,
                    ex.getMessage());
        }
    }

    private Optional<String> getVar(String channel, String variable) {
        try {
            ManagerResponse r = ami.send(new GetVarAction(channel, variable));
            if (r instanceof GetVarResponse g) {
                return Optional.ofNullable(g.getValue());
            }
            return Optional.ofNullable(r.getAttribute("value"));
        } catch (CallControlException ex) {
            return Optional.empty();
        }
    }

    private void remember(String uid, String name, String value) {
        if (!AmiValues.isId(uid) || value == null) {
            return;
        }
        String v = AmiValues.data(value);
        if (v.isEmpty()) {
            return;
        }
        if (vars.size() >= MAX_VARS && !vars.containsKey(uid)) {
            vars.remove(vars.keySet().iterator().next());
        }
        vars.computeIfAbsent(uid, k -> new HashMap<>()).put(name, v);
    }

    private void rememberChannelVariables(String uid, Map<String, String> channelVariables) {
        if (channelVariables == null) {
            return;
        }
        channelVariables.forEach((k, v) -> {
            String bare = k.replaceFirst("^_+", "");
            if (settings.ivrVariables.contains(bare)) {
                remember(uid, bare, v);
            }
        });
    }

    /**
     * When the hub learnt of an event: the hub's clock, not the PBX's {@code Timestamp}, so that a call's events sort
     * consistently with the ACD's own (the two clocks may differ).
     */
    private Instant at(ManagerEvent e) {
        return clock.instant();
    }

    /** The caller's number as a tel: address; withheld or not a number: {@code tel:anonymous} (no customer). */
    static Address ani(String callerIdNum) {
        String n = callerIdNum == null ? "" : callerIdNum.trim();
        return Address.of("tel", NUMBER.matcher(n).matches() ? n : "anonymous");
    }

    static Address dnis(String exten) {
        return exten != null && DNIS.matcher(exten).matches() ? Address.of("tel", exten) : null;
    }

    private static String idOr(String id, String fallback) {
        return AmiValues.isId(id) ? id : fallback;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String channelOf(ManagerEvent e) {
        return e instanceof HangupEvent h ? orEmpty(h.getChannel()) : "";
    }

    private static String firstArg(String data) {
        if (data == null) {
            return null;
        }
        int comma = data.indexOf(',');
        return comma < 0 ? data : data.substring(0, comma);
    }
}
