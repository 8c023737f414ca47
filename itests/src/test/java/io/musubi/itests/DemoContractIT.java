package io.musubi.itests;

import io.musubi.model.Channel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The demo connector passes the connector TCK: its "provider" is a pair of directories (files in, reply files out), so
 * the contract is shown to be about connectors in general, not about webhooks. A second demo instance of its own
 * ({@code demo.tck}) keeps these tests apart from the ones using the distribution's {@code demo} instance.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class DemoContractIT extends ConnectorContractIT {

    private static final String ID = "demo.tck";

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private static Path dir(String name) {
        return Path.of(System.getProperty("karaf.data"), "demo-tck", name);
    }

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
        return "io.musubi.connector-demo";
    }

    @Override
    protected Channel channel() {
        return Channel.WEBCHAT;
    }

    @Override
    protected String threadKey() {
        return "tck-visitor";
    }

    @Override
    protected void setUpConnector() throws Exception {
        Configuration[] existing = configurationAdmin.listConfigurations("(id=" + ID + ")");
        if (existing != null && existing.length > 0) {
            return;
        }
        Files.createDirectories(dir("inbox"));
        Configuration c = configurationAdmin.createFactoryConfiguration("io.musubi.connector.demo", "?");
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("id", ID);
        p.put("directory", dir("inbox").toString());
        p.put("outbox", dir("outbox").toString());
        p.put("tenantId", "default");
        p.put("from", "webchat:" + threadKey());
        p.put("pollMillis", 100L);
        p.put("queue", HOLDING_QUEUE);
        c.update(p);
    }

    @Override
    protected void sendInbound(String eventId, String text) throws Exception {
        PacedFileWriter.drop(dir("inbox"), eventId, text);
    }

    @Override
    protected void sendMalformed() throws Exception {
        // Longer than the demo's 64 KiB limit: the route refuses it (dead-lettered and counted) and goes on.
        PacedFileWriter.drop(dir("inbox"), unique("too-long"), "x".repeat(70_000));
    }

    @Override
    protected List<String> delivered() throws Exception {
        Path out = Files.isDirectory(dir("outbox")) ? dir("outbox") : dir("outbox.away");
        List<String> texts = new ArrayList<>();
        if (!Files.isDirectory(out)) {
            return texts;
        }
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
                texts.add(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return texts;
    }

    /** The outbox becomes a plain file: replies cannot be written until it is a directory again. */
    @Override
    protected void remoteDown() throws Exception {
        Files.createDirectories(dir("outbox"));
        Files.move(dir("outbox"), dir("outbox.away"));
        Files.writeString(dir("outbox"), "not a directory");
    }

    @Override
    protected void remoteUp() throws Exception {
        Files.deleteIfExists(dir("outbox"));
        Files.move(dir("outbox.away"), dir("outbox"));
    }

    /** The inbox becomes a plain file: the connector cannot watch it and says so. */
    @Override
    protected void breakConnector(Replier reply) throws Exception {
        Files.move(dir("inbox"), dir("inbox.away"));
        Files.writeString(dir("inbox"), "not a directory");
    }

    @Override
    protected void repairConnector() throws Exception {
        Files.deleteIfExists(dir("inbox"));
        Files.move(dir("inbox.away"), dir("inbox"));
    }

    @Override
    protected List<String> secrets() {
        return List.of(); // the demo has none; the configuration and log checks still run
    }
}
