package io.musubi.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.musubi.connector.asterisk.ami.ScriptedAmiServer;
import io.musubi.store.HistoryStore;
import io.musubi.model.Channel;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The Asterisk connector passes the connector TCK against the scripted AMI server (Asterisk 22's framing and answers),
 * hub-routed. What the contract's words mean for a PBX:
 * <ul>
 *   <li>an inbound "message" is a call: the dialplan's {@code UserEvent HubInbound} for a caller put on hold, its
 *       event id the customer channel's Uniqueid. Asterisk replays nothing, so the provider's redelivery is the
 *       connector's re-sync: the AMI connection drops, the connector logs in again and lists the live channels
 *       ({@code CoreShowChannels}, {@code Getvar HUB_CALL}); the caller still waiting is seen again and must not become
 *       a second interaction, also when the hub's store and pipeline (and with them the connector, which references
 *       the ingress) were restarted and the connector has forgotten every call;</li>
 *   <li>a call carries no text: a reply on it is refused by the connector's egress (FAILED, {@code unsupported}).
 *       The egress contract still holds: replies posted while the connector is stopped, updated or uninstalled wait in
 *       its queue and are each handled exactly once when it is back ({@link #delivered()} lists the replies whose
 *       FAILED status the connector recorded);</li>
 *   <li>health: DEGRADED with a reason while the PBX is unreachable, reconnect with back-off, a caller who arrived
 *       meanwhile taken over by the re-sync, UP again; DOWN with a reason when Asterisk refuses the credentials;</li>
 *   <li>malformed input: a {@code HubInbound} with no channel (what an AMI {@code UserEvent} action sent by a script
 *       produces), counted;</li>
 *   <li>the AMI secret never in the log, {@code /connectors} or {@code describeConfiguration()}.</li>
 * </ul>
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class AsteriskContractIT extends ConnectorContractIT {

    static final String ID = "asterisk.tck";
    private static final String USER = "hub-tck";
    /** Made up per run: the log and configuration checks look for it. */
    private static final String SECRET = "tck-ami-" + UUID.randomUUID().toString().replace("-", "");
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Uniqueids of this run: Asterisk's form (epoch seconds, a sequence), unique across runs. */
    private static final long EPOCH = System.currentTimeMillis() / 1000;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static ScriptedAmiServer pbx;
    private static int port;
    /** The TCK's event ids and the Uniqueid of the call each stands for. */
    private static final Map<String, String> CALLS = new ConcurrentHashMap<>();
    /** Callers still on hold in the scripted PBX (all of them: TCK calls are never answered), in arrival order. */
    private static final Map<String, String> LIVE = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private static final Set<String> REPLIED_ON = ConcurrentHashMap.newKeySet();
    private static volatile String lastCall;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private FeaturesService features;

    // The contract (see ConnectorContractIT.ContractTest for why each is declared here).

    /**
     * The contract, and then what makes it a test of the hub's de-duplication for a PBX: after the restart the
     * connector had forgotten the call, listed it again in its re-sync (asked {@code HUB_CALL} of its channel) and
     * handed its arrival to the hub again, which dropped it.
     */
    @Test
    @Override
    public void inboundIsDeduplicatedOnTheProviderEventIdAlsoAfterARestartOfTheHub() throws Exception {
        super.inboundIsDeduplicatedOnTheProviderEventIdAlsoAfterARestartOfTheHub();
        String dup = CALLS.entrySet().stream().filter(c -> c.getKey().startsWith("dup-")).map(Map.Entry::getValue)
                .reduce((a, b) -> b).orElseThrow();
        assertTrue("the re-synced connector saw the waiting caller again", pbx.actions("Getvar").stream()
                .anyMatch(g -> channelOf(dup).equals(g.first("Channel").orElse(""))
                        && "HUB_CALL".equals(g.first("Variable").orElse(""))));
    }

    @Test
    @Override
    public void repliesWaitWhileTheConnectorIsStoppedAndGoOutOnceWhenItReturns() throws Exception {
        super.repliesWaitWhileTheConnectorIsStoppedAndGoOutOnceWhenItReturns();
    }

    @Test
    @Override
    public void repliesSentAcrossAnUpdateOfTheConnectorGoOutOnce() throws Exception {
        super.repliesSentAcrossAnUpdateOfTheConnectorGoOutOnce();
    }

    @Test
    @Override
    public void repliesWaitWhileTheConnectorIsUninstalledAndGoOutOnceWhenItIsBack() throws Exception {
        super.repliesWaitWhileTheConnectorIsUninstalledAndGoOutOnceWhenItIsBack();
    }

    /**
     * Voice's own version: a PBX connection has no outbound queue to hold back while the PBX is away (a reply on a call
     * is refused at once), so instead of a held reply, a caller who arrives while the AMI connection is down is what
     * must survive the outage: Asterisk replays nothing, the re-sync after the reconnect finds the caller.
     */
    @Test
    @Override
    public void healthIsUpDegradedWhileTheProviderIsAwayThenUpAgainAndDownWithAReason() throws Exception {
        openInteraction();
        awaitHealth("UP");
        long reconnects = counter("reconnects");

        remoteDown();
        String meanwhile;
        try {
            awaitHealth("DEGRADED");
            assertFalse("a reason is given", healthInHealth().path("detail").asText().isBlank());
            // a caller put on hold while the hub cannot hear of it: no UserEvent reaches the connector
            meanwhile = newCall(unique("meanwhile"));
        } finally {
            remoteUp();
        }
        // Reconnected with back-off, re-synced: the waiting caller has its interaction, once.
        awaitApi("reconnected", WAIT, () -> pbx.logins() >= 1 && counter("reconnects") > reconnects);
        awaitHealth("UP");
        String uid = meanwhile;
        await("the caller who arrived during the outage", WAIT, () -> arrivals(eventIdOf(uid)) == 1);
        await("the caller's interaction is stored", WAIT,
                () -> history().findOpenInteraction(tenantId(), Channel.VOICE, uid).isPresent());

        breakConnector(null);
        try {
            awaitHealth("DOWN");
            assertTrue("the reason names the refused login", connectorView().path("health").path("detail").asText()
                    .contains("refused"));
        } finally {
            repairConnector();
        }
        awaitHealth("UP");
    }

    @Test
    @Override
    public void malformedInputIsRejectedAndCountedAndTheNextMessageStillArrives() throws Exception {
        super.malformedInputIsRejectedAndCountedAndTheNextMessageStillArrives();
    }

    @Test
    @Override
    public void noSecretIsLoggedOrShownInTheConfiguration() throws Exception {
        super.noSecretIsLoggedOrShownInTheConfiguration();
        // The log checked above is alive after the feature was installed (its logging change once emptied the
        // logging configuration, and the check found nothing because nothing was written), and Asterisk-Java's
        // own loggers, which print AMI events with caller numbers, are off.
        String log = Files.readString(Path.of(System.getProperty("karaf.log",
                Path.of(System.getProperty("karaf.data"), "log").toString()), "karaf.log"),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue("the connector's own lines are in the log",
                log.contains("Asterisk connector " + ID + ": AMI connected to 127.0.0.1:" + port));
        assertFalse("no Asterisk-Java logger writes to the log", log.contains("| ManagerConnectionImpl "));
        assertFalse("the caller's number is not in the log", log.contains("5550100"));
    }

    // ------------------------------------------------------------------------------------------------ hooks

    @Override
    protected String connectorId() {
        return ID;
    }

    @Override
    protected String bundleSymbolicName() {
        return "io.musubi.connector-asterisk";
    }

    @Override
    protected Channel channel() {
        return Channel.VOICE;
    }

    /** The call of the last {@link #sendInbound}: a call is its own conversation (thread key = Linkedid). */
    @Override
    protected String threadKey() {
        return lastCall;
    }

    @Override
    protected void setUpConnector() throws Exception {
        synchronized (AsteriskContractIT.class) {
            if (pbx == null) {
                pbx = scriptedPbx(0);
                port = pbx.port();
            }
        }
        if (!features.isInstalled(features.getFeature("musubi-connector-asterisk"))) {
            features.installFeature("musubi-connector-asterisk", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
        Configuration[] existing = configurationAdmin.listConfigurations("(id=" + ID + ")");
        if (existing != null && existing.length > 0) {
            return;
        }
        Path secret = Path.of(System.getProperty("karaf.etc"), "musubi", "asterisk-tck.secret");
        Files.createDirectories(secret.getParent());
        Files.deleteIfExists(secret);
        Files.createFile(secret, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secret, SECRET);
        Configuration c = configurationAdmin.createFactoryConfiguration("io.musubi.connector.asterisk", "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("id", ID);
        p.put("tenantId", "default");
        p.put("mode", "hub-routed");
        p.put("host", "127.0.0.1");
        p.put("port", Integer.toString(port));
        p.put("username", USER);
        p.put("secretFile", secret.toString());
        p.put("defaultQueue", HOLDING_QUEUE);
        p.put("reconnectMillis", "100");
        p.put("reconnectMaxMillis", "1000");
        c.update(p);
    }

    /** A caller reaches the holding context: the dialplan's HubInbound on its channel, as Asterisk 22 sends it. */
    @Override
    protected void sendInbound(String eventId, String text) throws Exception {
        String known = CALLS.get(eventId);
        String uid = known != null ? known : newCall(eventId);
        current().send("Event: UserEvent\r\nPrivilege: user,all\r\nTimestamp: " + EPOCH + ".000001\r\n"
                + "Channel: " + channelOf(uid) + "\r\nChannelState: 6\r\nChannelStateDesc: Up\r\n"
                + "CallerIDNum: 5550100\r\nCallerIDName: TCK Caller\r\nConnectedLineNum: <unknown>\r\n"
                + "ConnectedLineName: <unknown>\r\nLanguage: en\r\nAccountCode: \r\nContext: inbound-hub\r\n"
                + "Exten: 8200\r\nPriority: 4\r\nUniqueid: " + uid + "\r\nLinkedid: " + uid + "\r\n"
                + "UserEvent: HubInbound\r\nQueue: " + HOLDING_QUEUE + "\r\nCallerIDNum: 5550100\r\nHubCall: " + uid
                + "\r\n\r\n");
    }

    /**
     * The PBX's "redelivery": the AMI connection drops and the connector re-syncs after logging in again, finding the
     * caller still on hold. Returns once that re-sync has run (its last step, DeviceStateList, was asked).
     */
    @Override
    protected void redeliverInbound(String eventId, String text) throws Exception {
        assertTrue("a call to see again", LIVE.containsKey(CALLS.get(eventId)));
        int logins = pbx.logins();
        int resyncs = pbx.actions("DeviceStateList").size();
        pbx.dropConnections();
        await("logged in again", WAIT, () -> pbx.logins() > logins);
        await("re-synced", WAIT, () -> pbx.actions("DeviceStateList").size() > resyncs);
    }

    @Override
    protected void sendMalformed() throws Exception {
        current().send("Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: HubInbound\r\nQueue: " + HOLDING_QUEUE
                + "\r\nCallerIDNum: 5550100\r\nHubCall: \r\n\r\n");
    }

    /** The replies on the TCK's calls the connector's egress handled, once each: refused, as a call carries no text. */
    @Override
    protected List<String> delivered() {
        List<String> handled = new ArrayList<>();
        for (String interactionId : REPLIED_ON) {
            Map<String, String> texts = new HashMap<>();
            List<InteractionEvent> events = history().interactionEvents(tenantId(), interactionId);
            for (InteractionEvent e : events) {
                if (e.type() == InteractionEventType.MESSAGE_OUT && e.content() != null) {
                    texts.put(e.attributes().get("messageId"), e.content().text());
                }
            }
            for (InteractionEvent e : events) {
                if (e.type() == InteractionEventType.MESSAGE_STATUS
                        && "failed".equals(e.attributes().get("status"))
                        && "unsupported".equals(e.attributes().get("reason"))
                        && texts.containsKey(e.attributes().get("messageId"))) {
                    handled.add(texts.get(e.attributes().get("messageId")));
                }
            }
        }
        return handled;
    }

    @Override
    protected void reply(String interactionId, String text) throws Exception {
        REPLIED_ON.add(interactionId);
        super.reply(interactionId, text);
    }

    /** The PBX is gone: nothing listens on its port any more. */
    @Override
    protected void remoteDown() {
        pbx.close();
    }

    /** The PBX is back on its port (an Asterisk restarted: the connector must log in again). */
    @Override
    protected void remoteUp() throws Exception {
        pbx = scriptedPbx(port);
    }

    /** Asterisk refuses the credentials (the secret changed in manager.conf) and drops the connection. */
    @Override
    protected void breakConnector(Replier reply) {
        pbx.refuseLogins(true);
        pbx.dropConnections();
    }

    @Override
    protected void repairConnector() {
        pbx.refuseLogins(false);
    }

    @Override
    protected List<String> secrets() {
        return List.of(SECRET);
    }

    /** A call's ARRIVED event is {@code <uniqueid>/arrived}; none before the call was placed. */
    @Override
    protected String providerEventId(String eventId) {
        String uid = CALLS.get(eventId);
        return uid == null ? null : uid + "/arrived";
    }

    // ------------------------------------------------------------------------------------------------ the PBX

    /** A new caller on hold in the scripted PBX; returns its Uniqueid. */
    private String newCall(String eventId) {
        String uid = EPOCH + "." + SEQUENCE.getAndIncrement();
        CALLS.put(eventId, uid);
        LIVE.put(uid, channelOf(uid));
        lastCall = uid;
        return uid;
    }

    private String eventIdOf(String uid) {
        return CALLS.entrySet().stream().filter(c -> c.getValue().equals(uid)).map(Map.Entry::getKey).findFirst()
                .orElseThrow();
    }

    private static String channelOf(String uid) {
        return "PJSIP/tck-trunk-" + uid.replace('.', '-');
    }

    /** The scripted Asterisk: answers the connector's re-sync with the callers on hold and their HUB_CALL mark. */
    private static ScriptedAmiServer scriptedPbx(int port) throws Exception {
        ScriptedAmiServer s = ScriptedAmiServer.start(USER, SECRET, port);
        s.handle("CoreShowChannels", (a, id) -> {
            List<String> answer = new ArrayList<>();
            answer.add("Response: Success\r\nActionID: " + id + "\r\nEventList: start\r\nMessage: Channels will follow"
                    + "\r\n\r\n");
            List<Map.Entry<String, String>> live;
            synchronized (LIVE) {
                live = new ArrayList<>(LIVE.entrySet());
            }
            for (Map.Entry<String, String> c : live) {
                answer.add("Event: CoreShowChannel\r\nActionID: " + id + "\r\nChannel: " + c.getValue() + "\r\n"
                        + "ChannelState: 6\r\nChannelStateDesc: Up\r\nCallerIDNum: 5550100\r\nCallerIDName: TCK Caller"
                        + "\r\nConnectedLineNum: <unknown>\r\nConnectedLineName: <unknown>\r\nLanguage: en\r\n"
                        + "AccountCode: \r\nContext: inbound-hub\r\nExten: 8200\r\nPriority: 5\r\nUniqueid: "
                        + c.getKey() + "\r\nLinkedid: " + c.getKey() + "\r\nApplication: MusicOnHold\r\n"
                        + "ApplicationData: default,3600\r\nDuration: 00:00:07\r\nBridgeId: \r\n\r\n");
            }
            answer.add("Event: CoreShowChannelsComplete\r\nActionID: " + id + "\r\nEventList: Complete\r\nListItems: "
                    + live.size() + "\r\n\r\n");
            return answer;
        }).handle("Getvar", (a, id) -> {
            String channel = a.first("Channel").orElse("");
            String value = "HUB_CALL".equals(a.first("Variable").orElse("")) ? uidOf(channel) : "";
            return List.of("Response: Success\r\nActionID: " + id + "\r\nVariable: " + a.first("Variable").orElse("")
                    + "\r\nValue: " + value + "\r\n\r\n");
        }).handle("DeviceStateList", ScriptedAmiServer.emptyList("DeviceStateListComplete"))
                .handle("Hangup", ScriptedAmiServer.success("Channel Hungup"))
                .handle("Redirect", ScriptedAmiServer.success("Redirect successful"));
        return s;
    }

    private static String uidOf(String channel) {
        synchronized (LIVE) {
            return LIVE.entrySet().stream().filter(c -> c.getValue().equals(channel)).map(Map.Entry::getKey)
                    .findFirst().orElse("");
        }
    }

    /** The connector's current AMI connection (it changes with reconnects and restarts). */
    private static ScriptedAmiServer.Session current() throws InterruptedException {
        await("the connector logged in", WAIT, () -> pbx.latest().isPresent());
        return pbx.latest().orElseThrow();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private HistoryStore history() {
        ServiceReference<HistoryStore> ref = bundleContext.getServiceReference(HistoryStore.class);
        return bundleContext.getService(ref);
    }

    private long counter(String name) {
        return connectorView().path("health").path("details").path(name).asLong(0);
    }

    private void awaitHealth(String status) throws InterruptedException {
        awaitApi(ID + " " + status + " in /health and /connectors", WAIT, () ->
                status.equals(healthInHealth().path("status").asText())
                        && status.equals(connectorView().path("health").path("status").asText()));
    }
}
