package io.musubi.connector.asterisk.internal;

import io.musubi.model.Address;
import io.musubi.model.Interaction;
import io.musubi.model.ScopedId;
import io.musubi.spi.CallControl;
import io.musubi.spi.CallControlException;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.asteriskjava.manager.action.AtxferAction;
import org.asteriskjava.manager.action.BridgeAction;
import org.asteriskjava.manager.action.MixMonitorAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.StopMixMonitorAction;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;

/**
 * Call control on an Asterisk over AMI. Every value from outside is checked against an allow-list
 * ({@link AmiValues}) before an action is built; the rest comes from the validated configuration and from channel
 * names Asterisk reported (checked again). Each operation runs on the connector's worker thread, so it sees and
 * changes the calls in order with the AMI events.
 *
 * <ul>
 *   <li>click-to-dial: {@code Originate} of the agent's phone into {@code outboundContext} with the destination as
 *       extension; the channel gets an id the hub chose, which becomes the call's thread key;</li>
 *   <li>blind transfer: {@code Redirect} of the customer to {@code transferContext}; attended: {@code Atxfer} on the
 *       agent's channel (Asterisk needs an {@code atxfer} feature code, which 22 has not by default);</li>
 *   <li>hold: {@code Redirect} of the customer to the holding extension (music) and of the agent's channel to the
 *       agent-hold extension (silence), one action; resume: {@code Bridge} of the two again;</li>
 *   <li>recording: {@code MixMonitor} of the customer's channel (both directions) into {@code recordingDirectory};
 *       stop: {@code StopMixMonitor};</li>
 *   <li>monitoring: {@code Originate} of the supervisor's phone into {@code ChanSpy} of the agent's channel with
 *       {@code q} (listen), {@code qw} (whisper) or {@code qB} (barge).</li>
 * </ul>
 */
final class AsteriskCallControl implements CallControl {

    private final AsteriskSettings settings;
    private final AmiSession ami;
    private final CallTracker calls;
    private final ScheduledExecutorService worker;

    AsteriskCallControl(AsteriskSettings settings, AmiSession ami, CallTracker calls, ScheduledExecutorService worker) {
        this.settings = settings;
        this.ami = ami;
        this.calls = calls;
        this.worker = worker;
    }

    @Override
    public String connectorId() {
        return settings.id;
    }

    @Override
    public String tenantId() {
        return settings.tenantId;
    }

    @Override
    public String dial(String agentId, String destination, String displayName) {
        String to = AmiValues.destination(destination, "to");
        String name = AmiValues.callerName(displayName);
        String ext = settings.agents.extension(Objects.requireNonNull(agentId, "agentId"))
                .orElseThrow(() -> new CallControlException(CallControlException.Reason.INVALID, "agentId",
                        "the agent has no phone on this PBX (see the connector's agents setting)"));
        String callId = "c2d-" + UUID.randomUUID();
        return onWorker(() -> {
            OriginateAction o = new OriginateAction();
            o.setChannel(AmiValues.dial(settings.agents.dial(ext), "dialTemplate"));
            o.setContext(settings.outboundContext);
            o.setExten(to);
            o.setPriority(1);
            o.setAsync(true);
            o.setTimeout(30_000L);
            o.setCallerId(name.isEmpty() ? to : "\"" + name + "\" <" + to + ">");
            o.setChannelId(callId);
            o.setOtherChannelId(callId + "-2");
            o.setVariables(Map.of("HUB_CALL", callId));
            o.setActionId(callId);
            refusedIfError(ami.send(o), "the PBX refused the call");
            calls.outbound(callId, agentId, Address.of("tel", to), callId);
            return callId;
        });
    }

    @Override
    public void transfer(Interaction interaction, String destination, TransferMode mode) {
        String to = AmiValues.destination(destination, "target");
        onWorker(() -> {
            Call c = connected(interaction);
            if (mode == TransferMode.ATTENDED) {
                String agentChannel = agentChannel(c);
                ManagerResponse r = ami.send(new AtxferAction(agentChannel, settings.transferContext, to, 1));
                if (r instanceof ManagerError e) {
                    String m = e.getMessage() == null ? "" : e.getMessage();
                    if (m.toLowerCase(Locale.ROOT).contains("feature code")) {
                        throw new CallControlException(CallControlException.Reason.REFUSED,
                                "the PBX has no attended-transfer feature code: add atxfer to [featuremap] in "
                                        + "features.conf (Asterisk 22 has none by default)");
                    }
                    throw new CallControlException(CallControlException.Reason.REFUSED,
                            "the PBX refused the attended transfer");
                }
                return null;
            }
            refusedIfError(ami.send(new RedirectAction(customerChannel(c), settings.transferContext, to, 1)),
                    "the PBX refused the transfer");
            calls.transferredByHub(c, to, "blind");
            return null;
        });
    }

    @Override
    public void hold(Interaction interaction) {
        onWorker(() -> {
            Call c = connected(interaction);
            if (c.phase == Call.Phase.HELD) {
                throw new CallControlException(CallControlException.Reason.NO_CALL, "the call is on hold already");
            }
            RedirectAction r = new RedirectAction(customerChannel(c), agentChannel(c), settings.holdContext,
                    settings.holdExtension, 1, settings.holdContext, settings.agentHoldExtension, 1);
            refusedIfError(ami.send(r), "the PBX refused to hold the call");
            c.heldByHub = true;
            c.leftQueue = true;
            return null;
        });
    }

    @Override
    public void resume(Interaction interaction) {
        onWorker(() -> {
            Call c = connected(interaction);
            if (!c.heldByHub) {
                throw new CallControlException(CallControlException.Reason.NO_CALL,
                        "the call is not on hold by the hub (a call held on the phone is resumed there)");
            }
            refusedIfError(ami.send(new BridgeAction(customerChannel(c), agentChannel(c), false)),
                    "the PBX refused to reconnect the call");
            c.heldByHub = false;
            return null;
        });
    }

    @Override
    public void startRecording(Interaction interaction) {
        onWorker(() -> {
            Call c = connected(interaction);
            if (c.recording) {
                throw new CallControlException(CallControlException.Reason.NO_CALL, "the call is being recorded");
            }
            String file = AmiValues.path(settings.recordingDirectory + "/" + settings.id + "-" + c.uniqueid + "-"
                    + (++c.recordings) + ".wav", "recording file");
            calls.expectRecording(c, file);
            refusedIfError(ami.send(new MixMonitorAction(customerChannel(c), file, "b")),
                    "the PBX could not start recording");
            return null;
        });
    }

    @Override
    public void stopRecording(Interaction interaction) {
        onWorker(() -> {
            Call c = connected(interaction);
            if (!c.recording) {
                throw new CallControlException(CallControlException.Reason.NO_CALL, "the call is not being recorded");
            }
            refusedIfError(ami.send(new StopMixMonitorAction(customerChannel(c))), "the PBX could not stop recording");
            return null;
        });
    }

    @Override
    public void monitor(Interaction interaction, MonitorMode mode, String supervisorDestination, String supervisor) {
        String ext = AmiValues.destination(supervisorDestination, "extension");
        if (ext.startsWith("+")) {
            throw new CallControlException(CallControlException.Reason.INVALID, "extension",
                    "extension must be the supervisor's extension");
        }
        String options = switch (mode) {
            case LISTEN -> "qE";
            case WHISPER -> "qwE";
            case BARGE -> "qBE";
        };
        String who = supervisor == null ? "" : supervisor.replaceAll("[^A-Za-z0-9:._@-]", "");
        String spyer = "spy-" + UUID.randomUUID();
        onWorker(() -> {
            Call c = connected(interaction);
            OriginateAction o = new OriginateAction();
            o.setChannel(settings.supervisorDial(ext));
            o.setApplication("ChanSpy");
            o.setData(agentChannel(c) + "," + options);
            o.setAsync(true);
            o.setTimeout(30_000L);
            o.setCallerId("Monitor");
            o.setChannelId(spyer);
            o.setOtherChannelId(spyer + "-2");
            calls.monitorAsked(spyer, c, mode.name().toLowerCase(Locale.ROOT), who);
            refusedIfError(ami.send(o), "the PBX refused to call the supervisor");
            return null;
        });
    }

    private Call connected(Interaction interaction) {
        if (!settings.id.equals(interaction.attributes().get("musubi.source"))
                || !ScopedId.isValidTenant(interaction.tenantId()) || !interaction.tenantId().equals(settings.tenantId)) {
            throw new CallControlException(CallControlException.Reason.NO_CALL, "the interaction is not a call of "
                    + "this PBX");
        }
        Call c = calls.callOf(interaction).orElseThrow(() -> new CallControlException(
                CallControlException.Reason.NO_CALL, "the interaction has no live call"));
        if (!c.connected()) {
            throw new CallControlException(CallControlException.Reason.NO_CALL, "the call is not connected to an agent");
        }
        return c;
    }

    private static String customerChannel(Call c) {
        return AmiValues.channel(c.customerChannel.isEmpty() ? c.channel : c.customerChannel);
    }

    private static String agentChannel(Call c) {
        if (c.agentChannel.isEmpty()) {
            throw new CallControlException(CallControlException.Reason.NO_CALL, "the agent's channel is not known yet");
        }
        return AmiValues.channel(c.agentChannel);
    }

    private static void refusedIfError(ManagerResponse r, String message) {
        if (r instanceof ManagerError) {
            throw new CallControlException(CallControlException.Reason.REFUSED, message);
        }
    }

    private <T> T onWorker(Callable<T> task) {
        Future<T> f = worker.submit(task);
        try {
            return f.get(settings.responseTimeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CallControlException cce) {
                throw cce;
            }
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw new CallControlException(CallControlException.Reason.INVALID, iae.getMessage());
            }
            throw new CallControlException(CallControlException.Reason.UNAVAILABLE, "the PBX operation failed");
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(false);
            throw new CallControlException(CallControlException.Reason.UNAVAILABLE, "the PBX did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallControlException(CallControlException.Reason.UNAVAILABLE, "interrupted");
        }
    }
}
