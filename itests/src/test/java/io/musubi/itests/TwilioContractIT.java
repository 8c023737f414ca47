package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.musubi.connector.twilio.testing.FakeTwilioApi;
import io.musubi.model.Channel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The Twilio connector passes the connector TCK on the distribution, against the local Twilio ({@link FakeTwilioApi},
 * which checks every API request as Twilio documents it and signs its webhooks as Twilio does), with the hub behind a
 * reverse proxy whose public URL Twilio signs ({@link TwilioSetup}). Twilio-specific parts of the contract: the
 * provider's event id is a MessageSid (the TCK's ids are mapped to one each), Twilio's retry of a webhook the hub
 * could not take yet (503) is what "redelivery" means, "provider away" is Twilio answering 503 and "broken" is Twilio
 * refusing the account's credentials (401, error 20003, as after a token rotation). Beyond the contract: webhooks
 * answer 503 while the connector is stopped, a token file opened to other users is refused at once (DOWN, replies
 * wait) and no customer number reaches the log.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class TwilioContractIT extends ConnectorContractIT {

    static final String ID = "twilio.tck";
    private static final String CUSTOMER = TwilioSetup.customerNumber();

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private FeaturesService features;

    private FakeTwilioApi twilio;

    // The contract (see ConnectorContractIT.ContractTest for why each is declared here).

    @Test
    @Override
    public void inboundIsDeduplicatedOnTheProviderEventIdAlsoAfterARestartOfTheHub() throws Exception {
        super.inboundIsDeduplicatedOnTheProviderEventIdAlsoAfterARestartOfTheHub();
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

    @Test
    @Override
    public void healthIsUpDegradedWhileTheProviderIsAwayThenUpAgainAndDownWithAReason() throws Exception {
        super.healthIsUpDegradedWhileTheProviderIsAwayThenUpAgainAndDownWithAReason();
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
    }

    // ---- hooks

    @Override
    protected String connectorId() {
        return ID;
    }

    @Override
    protected String bundleSymbolicName() {
        return "io.musubi.connector-twilio";
    }

    @Override
    protected Channel channel() {
        return Channel.SMS;
    }

    @Override
    protected String threadKey() {
        return ID + "/" + CUSTOMER;
    }

    @Override
    protected void setUpConnector() throws Exception {
        twilio = TwilioSetup.twilio();
        TwilioSetup.install(features);
        TwilioSetup.configure(configurationAdmin, ID, HOLDING_QUEUE, Map.of());
    }

    @After
    public void twilioBack() {
        if (twilio != null) {
            twilio.down(false).refuseCredentials(false);
        }
    }

    /**
     * The MessageSid standing for one of the TCK's event ids ({@code SM} + 32 hex digits, as Twilio's): the same id
     * always gives the same SID, so a redelivery carries the SID of the first delivery, as Twilio's retries do.
     */
    static String messageSid(String eventId) {
        try {
            return "SM" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(eventId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hub sees the MessageSid as the event id. */
    @Override
    protected String providerEventId(String eventId) {
        return messageSid(eventId);
    }

    /**
     * Twilio's incoming-message webhook for the event; while the hub answers 503 (its pipeline restarting) it is
     * posted again, as Twilio's retry (or its fallback URL on the same hub) does. Any other answer than 200 or 503 fails.
     */
    @Override
    protected void sendInbound(String eventId, String text) throws Exception {
        String sid = messageSid(eventId);
        awaitApi("Twilio's webhook " + sid + " acknowledged", Duration.ofSeconds(90), () -> {
            int status;
            try {
                status = twilio.deliverInbound(TwilioSetup.webhook(ID), sid, CUSTOMER, TwilioSetup.OUR_NUMBER, text,
                        List.of(), List.of()).status();
            } catch (Exception e) {
                return false; // the hub's listener is not answering yet
            }
            assertTrue("webhook " + sid + " answered " + status, status == 200 || status == 503);
            return status == 200;
        });
    }

    /** A signed webhook the connector cannot map: a WhatsApp sender is not an SMS (400, counted as malformed). */
    @Override
    protected void sendMalformed() throws Exception {
        List<Map.Entry<String, String>> bad = List.of(Map.entry("MessageSid", TwilioSetup.messageSid()),
                Map.entry("From", "whatsapp:" + CUSTOMER), Map.entry("To", TwilioSetup.OUR_NUMBER),
                Map.entry("Body", "not an SMS"));
        assertEquals(400, twilio.post(TwilioSetup.webhook(ID), bad).status());
    }

    @Override
    protected List<String> delivered() {
        return twilio.sent().stream().map(FakeTwilioApi.Sent::body).toList();
    }

    /** Twilio answers 503 to every API request. */
    @Override
    protected void remoteDown() {
        twilio.down(true);
    }

    @Override
    protected void remoteUp() {
        twilio.down(false);
    }

    /** Twilio refuses the credentials (401, error 20003); the connector notices at its next request. */
    @Override
    protected void breakConnector(Replier reply) throws Exception {
        twilio.refuseCredentials(true);
        reply.reply("sent while Twilio refuses the credentials " + System.nanoTime());
    }

    @Override
    protected void repairConnector() {
        twilio.refuseCredentials(false);
    }

    @Override
    protected List<String> secrets() {
        try {
            return List.of(TwilioSetup.token());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- Twilio beyond the contract

    @Test
    public void webhooksAnswer503WhileTheConnectorIsStoppedSoTwilioTriesItsFallback() throws Exception {
        inbound("before the stop");
        Bundle b = bundle(bundleSymbolicName());
        b.stop();
        try {
            String sid = TwilioSetup.messageSid();
            assertEquals(503, twilio.deliverInbound(TwilioSetup.webhook(ID), sid, CUSTOMER, TwilioSetup.OUR_NUMBER,
                    "while stopped", List.of(), List.of()).status());
        } finally {
            b.start();
        }
        await(ID + " back", Duration.ofSeconds(90), () -> connector() != null);
        inbound("after the start");
    }

    @Test
    public void aTokenFileOpenedToOthersIsRefusedAtOnceAndRepliesWaitUntilItIsFixed() throws Exception {
        String interaction = openInteraction();
        Path token = TwilioSetup.tokenFile(ID);
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        String waiting = "sent while the token is refused " + System.nanoTime();
        try {
            awaitApi(ID + " DOWN", Duration.ofSeconds(60),
                    () -> "DOWN".equals(connectorView().path("health").path("status").asText()));
            assertTrue(connectorView().path("health").path("detail").asText().contains("chmod 600"));
            reply(interaction, waiting);
            awaitApi("the reply waits", Duration.ofSeconds(30), () -> egressDepthOf(ID) >= 1);
            assertFalse(delivered().contains(waiting));
        } finally {
            Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        }
        await("the waiting reply delivered", Duration.ofSeconds(120), () -> delivered().contains(waiting));
        awaitApi(ID + " UP", Duration.ofSeconds(90),
                () -> "UP".equals(connectorView().path("health").path("status").asText()));
        assertEquals(1, Collections.frequency(delivered(), waiting));
    }

    @Test
    public void noCustomerNumberReachesTheLog() throws Exception {
        String interaction = openInteraction();
        String text = "a reply for the PII check " + System.nanoTime();
        reply(interaction, text);
        sendMalformed();
        await("reply delivered", Duration.ofSeconds(120), () -> delivered().contains(text));
        for (Path log : TwilioEndToEndIT.logFiles()) {
            String content = Files.readString(log, StandardCharsets.ISO_8859_1);
            assertFalse("customer number in " + log, content.contains(CUSTOMER));
            assertFalse("customer number in " + log, content.contains(CUSTOMER.substring(1)));
        }
    }

    private long egressDepthOf(String id) {
        try {
            return ApiClient.JSON.readTree(body("/api/v1/health")).path("components").path("queues").path("details")
                    .path("musubi.egress." + id).asLong(-1);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
