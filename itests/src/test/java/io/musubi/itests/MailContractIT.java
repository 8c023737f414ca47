package io.musubi.itests;

import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;

import jakarta.mail.internet.MimeMessage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * The e-mail connector passes the connector TCK against real IMAP and SMTP servers (GreenMail, in the container), with
 * an instance configured as an operator does it ({@code etc/io.musubi.connector.mail-tck.cfg}, passwords in owner-only
 * files). The mail-specific answers to the hooks:
 * <ul>
 *   <li>the provider's "event" is a customer's mail; the TCK's event id is its Message-ID's left-hand side. The
 *       connector's own event id is derived from the Message-ID, the sender and the Date (docs/connectors/mail.md), so
 *       arrivals are counted per Message-ID here;</li>
 *   <li>a redelivery is the same mail delivered to the mailbox again (a new UID) and, on top, every mail of the
 *       mailbox marked unseen again, as after a crash before the {@code \Seen} flag was stored;</li>
 *   <li>malformed input is a mail without a sender: dead-lettered, counted, marked seen, not read again;</li>
 *   <li>the provider away is the SMTP server stopped; broken is the mailbox's password changed at the IMAP server
 *       (DOWN, "IMAP authentication failed"), repaired by writing the new one into the password file.</li>
 * </ul>
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class MailContractIT extends ConnectorContractIT {

    static final String ID = "mail.tck";
    static final String MAILBOX = "tck@tck.musubi.example";
    /** Made up per run: the log and configuration checks look for these. */
    private static final String IMAP_PASSWORD = "tck-imap-" + java.util.UUID.randomUUID().toString().replace("-", "");
    private static final String NEW_IMAP_PASSWORD = "tck-imap-new-"
            + java.util.UUID.randomUUID().toString().replace("-", "");
    private static final String SMTP_PASSWORD = "tck-smtp-" + java.util.UUID.randomUUID().toString().replace("-", "");
    private static final String CUSTOMER = "tck-customer@example.jp";
    private static final String DOMAIN = "@tck.example.jp";
    private static final String ROOT = "tck-thread" + DOMAIN;

    private static MailTestServer servers;
    private static Path imapPasswordFile;

    @Inject
    private FeaturesService features;


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
        awaitApi("every mail marked seen, the malformed one too", java.time.Duration.ofSeconds(60),
                () -> unseen() == 0);
    }

    @Test
    @Override
    public void noSecretIsLoggedOrShownInTheConfiguration() throws Exception {
        super.noSecretIsLoggedOrShownInTheConfiguration();
    }

    // ------------------------------------------------------------------------------------------------ hooks

    @Override
    protected String connectorId() {
        return ID;
    }

    @Override
    protected String bundleSymbolicName() {
        return "io.musubi.connector-mail";
    }

    @Override
    protected Channel channel() {
        return Channel.EMAIL;
    }

    /** Every TCK mail names the same root in its References: one conversation. */
    @Override
    protected String threadKey() {
        return ROOT;
    }

    @Override
    protected void setUpConnector() throws Exception {
        synchronized (MailContractIT.class) {
            if (servers == null) {
                MailTestServers.installGreenMail(bundleContext);
                MailTestServers.installFeature(features);
                servers = new MailTestServer(MAILBOX, IMAP_PASSWORD, "relay-tck", SMTP_PASSWORD);
                imapPasswordFile = MailTestServers.ownerOnly("mail-tck-imap.password", IMAP_PASSWORD);
                MailTestServers.configure("tck", ID, HOLDING_QUEUE, servers.imapPort, MAILBOX, imapPasswordFile,
                        servers.smtpPort, "relay-tck",
                        MailTestServers.ownerOnly("mail-tck-smtp.password", SMTP_PASSWORD), MAILBOX);
            }
        }
    }

    /** The events of the mail whose Message-ID is {@code <eventId@tck.example.jp>} count for that event id. */
    @Override
    protected String arrivalKey(InboundEvent e) {
        String messageId = e.attributes().get("mail.messageId");
        return messageId != null && messageId.endsWith(DOMAIN)
                ? messageId.substring(0, messageId.length() - DOMAIN.length()) : null;
    }

    /** A customer's mail; the same id gives the same mail (Message-ID, sender, Date). */
    @Override
    protected void sendInbound(String eventId, String text) throws Exception {
        servers.deliver("From: " + CUSTOMER + "\nTo: " + MAILBOX + "\nSubject: TCK\n"
                + "Date: Tue, 4 Mar 2025 09:15:02 +0900\nMessage-ID: <" + eventId + DOMAIN + ">\n"
                + "References: <" + ROOT + ">\nMIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n" + text + "\n");
    }

    /** The same mail in the mailbox again, and every mail unseen again (a crash before the flags were stored). */
    @Override
    protected void redeliverInbound(String eventId, String text) throws Exception {
        sendInbound(eventId, text);
        servers.markAllUnseen();
    }

    /** A mail without a sender: nobody to answer, never an interaction. */
    @Override
    protected void sendMalformed() throws Exception {
        servers.deliver("To: " + MAILBOX + "\nSubject: nobody sent this\nMessage-ID: <" + unique("nofrom") + DOMAIN
                + ">\n\nwho?\n");
    }

    @Override
    protected List<String> delivered() throws Exception {
        List<String> out = new ArrayList<>();
        for (MimeMessage m : servers.sent()) {
            out.add(MailTestServer.text(m).strip());
        }
        return out;
    }

    @Override
    protected void remoteDown() {
        servers.stopSmtp();
    }

    @Override
    protected void remoteUp() {
        servers.startSmtp();
    }

    /**
     * The mailbox's password is changed at the server, which drops the connector's sessions: the connector reconnects,
     * the server refuses the password it has, and it reports DOWN.
     */
    @Override
    protected void breakConnector(Replier reply) {
        servers.changeImapPassword(NEW_IMAP_PASSWORD);
    }

    /** The operator writes the new password into the password file: no restart, the next reconnect logs in. */
    @Override
    protected void repairConnector() throws Exception {
        Files.writeString(imapPasswordFile, NEW_IMAP_PASSWORD);
    }

    @Override
    protected List<String> secrets() {
        return List.of(IMAP_PASSWORD, NEW_IMAP_PASSWORD, SMTP_PASSWORD);
    }

    private static long unseen() {
        try {
            return servers.unseen();
        } catch (Exception e) {
            return -1;
        }
    }
}
