package io.musubi.itests;

import static org.junit.Assert.assertEquals;

import io.musubi.connector.line.testing.FakeLineApi;
import io.musubi.model.Channel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The LINE connector passes the connector TCK against a local LINE API server ({@link FakeLineApi}, which checks
 * every request as LINE documents it), with signed webhooks as the LINE Platform sends them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class LineContractIT extends ConnectorContractIT {

    static final String ID = "line.tck";
    private static final String USER = LineWebhooks.userId("line-tck-customer");
    /** Made up per run: the log and configuration checks look for these. */
    private static final String SECRET = "tck-secret-" + UUID.randomUUID().toString().replace("-", "");
    private static final String TOKEN = "tck-token-" + UUID.randomUUID().toString().replace("-", "");

    private static FakeLineApi line;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private FeaturesService features;

    private final LineWebhooks webhooks = new LineWebhooks(HTTP_PORT, ID, SECRET);

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

    @Override
    protected String connectorId() {
        return ID;
    }

    @Override
    protected String bundleSymbolicName() {
        return "io.musubi.connector-line";
    }

    @Override
    protected Channel channel() {
        return Channel.LINE;
    }

    @Override
    protected String threadKey() {
        return ID + ":" + USER;
    }

    @Override
    protected void setUpConnector() throws Exception {
        synchronized (LineContractIT.class) {
            if (line == null) {
                line = FakeLineApi.start(TOKEN);
            }
        }
        LineSetup.install(features);
        LineSetup.configure(configurationAdmin, ID, "line-tck", SECRET, TOKEN, line.baseUrl(), HOLDING_QUEUE);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    @Override
    protected void sendInbound(String eventId, String text) throws Exception {
        webhooks.deliver(LineWebhooks.body(LineWebhooks.text(eventId, USER, text, line.issueReplyToken(), now(),
                false)));
    }

    @Override
    protected void redeliverInbound(String eventId, String text) throws Exception {
        webhooks.deliver(LineWebhooks.body(LineWebhooks.text(eventId, USER, text, line.issueReplyToken(), now(),
                true)));
    }

    @Override
    protected void sendMalformed() throws Exception {
        byte[] notJson = "{\"destination\":\"U0\",\"events\":[".getBytes(StandardCharsets.UTF_8);
        assertEquals("a signed body that is not JSON", 400, webhooks.postSigned(notJson));
    }

    @Override
    protected List<String> delivered() {
        return line.sent().stream().map(FakeLineApi.Sent::text).toList();
    }

    @Override
    protected void remoteDown() {
        line.stop();
    }

    @Override
    protected void remoteUp() throws Exception {
        line.restart();
    }

    /** LINE refuses the channel access token (as after a revocation); the connector notices at its next request. */
    @Override
    protected void breakConnector(Replier reply) throws Exception {
        line.refuseTokens(true);
        reply.reply("sent while LINE refuses the token " + System.nanoTime());
    }

    @Override
    protected void repairConnector() {
        line.refuseTokens(false);
    }

    @Override
    protected List<String> secrets() {
        return List.of(SECRET, TOKEN);
    }

    /** Installing the feature and configuring an instance, shared with the end-to-end tests. */
    static final class LineSetup {

        private LineSetup() {
        }

        static void install(FeaturesService features) throws Exception {
            if (!features.isInstalled(features.getFeature("musubi-connector-line"))) {
                features.installFeature("musubi-connector-line",
                        EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            }
        }

        /** A LINE instance, once: secrets in owner-only files, the API at the local server. */
        static void configure(ConfigurationAdmin admin, String id, String name, String secret, String token,
                              String baseUrl, String queue) throws Exception {
            org.osgi.service.cm.Configuration[] existing = admin.listConfigurations("(id=" + id + ")");
            if (existing != null && existing.length > 0) {
                return;
            }
            Path dir = Path.of(System.getProperty("karaf.etc"), "musubi");
            Files.createDirectories(dir);
            Path secretFile = ownerOnly(dir.resolve(name + ".secret"), secret);
            Path tokenFile = ownerOnly(dir.resolve(name + ".token"), token);
            org.osgi.service.cm.Configuration c = admin.createFactoryConfiguration("io.musubi.connector.line", "?");
            java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();
            p.put("id", id);
            p.put("tenantId", "default");
            p.put("channelSecretFile", secretFile.toString());
            p.put("channelAccessTokenFile", tokenFile.toString());
            p.put("apiBaseUrl", baseUrl);
            p.put("dataApiBaseUrl", baseUrl);
            p.put("queue", queue);
            p.put("maxRedeliveries", 200);
            p.put("maxRedeliveryDelaySeconds", 2L);
            c.update(p);
        }

        private static Path ownerOnly(Path file, String value) throws Exception {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, value);
            return file;
        }
    }
}
