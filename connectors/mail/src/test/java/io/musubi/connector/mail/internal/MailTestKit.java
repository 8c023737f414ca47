package io.musubi.connector.mail.internal;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.musubi.camel.MusubiCamel;

import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A mailbox on a real IMAP server and an outgoing SMTP server (GreenMail, in this JVM, each its own so that one can be
 * stopped), the connector's routes on a plain CamelContext (the broker played by seda queues), and the hub's ingress
 * and content store as the connector sees them.
 */
final class MailTestKit implements AutoCloseable {

    static final String MAILBOX = "support@musubi.example";
    static final String PASSWORD = "imap-pass-0123456789";
    static final String SMTP_USER = "relay";
    static final String SMTP_PASSWORD = "smtp-pass-9876543210";

    final int imapPort = freePort();
    final int smtpPort = freePort();
    final Path dir;
    GreenMail imap;
    GreenMail smtp;
    GreenMailUser mailbox;
    final RecordingIngress ingress = new RecordingIngress();
    final MemoryContentStore content = new MemoryContentStore();
    final TestConfig config = new TestConfig();
    MailInstance instance;
    CamelContext context;
    final Session session = MailParserTest.SESSION;

    MailTestKit() throws IOException {
        dir = Files.createTempDirectory("mailkit");
        Files.writeString(dir.resolve("imap.password"), PASSWORD);
        Files.setPosixFilePermissions(dir.resolve("imap.password"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("smtp.password"), SMTP_PASSWORD);
        Files.setPosixFilePermissions(dir.resolve("smtp.password"), PosixFilePermissions.fromString("rw-------"));
        config.set("id", "mail.test").set("addresses", new String[] {MAILBOX, "info@musubi.example"})
                .set("imapHost", "127.0.0.1").set("imapPort", imapPort).set("imapSecurity", "none")
                .set("imapUser", MAILBOX).set("imapPasswordFile", "imap.password")
                .set("smtpHost", "127.0.0.1").set("smtpPort", smtpPort).set("smtpSecurity", "none")
                .set("smtpUser", SMTP_USER).set("smtpPasswordFile", "smtp.password")
                .set("pollSeconds", 1L).set("timeoutSeconds", 5).set("maxRedeliveries", 30);
        startImap();
        startSmtp();
    }

    void startImap() {
        imap = new GreenMail(serverSetup(imapPort, ServerSetup.PROTOCOL_IMAP));
        imap.start();
        mailbox = imap.setUser(MAILBOX, MAILBOX, PASSWORD);
    }

    void startSmtp() {
        smtp = new GreenMail(serverSetup(smtpPort, ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        smtp.setUser(SMTP_USER, SMTP_USER, SMTP_PASSWORD);
    }

    /** Starts the connector's routes. */
    MailTestKit start() throws Exception {
        instance = new MailInstance(config.build(), ingress, content, dir, dir.resolve("data"), n -> null);
        context = new DefaultCamelContext();
        context.addComponent(MusubiCamel.BROKER_COMPONENT, new BrokerStandIn());
        context.addRoutes(instance.createRoutes());
        context.start();
        return this;
    }

    /** Stops the routes (a hub restart, a bundle update); {@link #start()} starts a new instance. */
    void stop() {
        if (context != null) {
            context.stop();
            context = null;
        }
    }

    /** A fixture mail into the mailbox, as the mail server delivers it. */
    void deliver(String fixture) throws Exception {
        try (InputStream in = MailTestKit.class.getResourceAsStream("/mails/" + fixture)) {
            mailbox.deliver(new MimeMessage(session, in));
        }
    }

    void deliverRaw(String raw) throws Exception {
        mailbox.deliver(new MimeMessage(session, new ByteArrayInputStream(raw.replace("\n", "\r\n")
                .getBytes(StandardCharsets.UTF_8))));
    }

    List<StoredMessage> inbox() throws Exception {
        MailFolder inbox = imap.getManagers().getImapHostManager().getInbox(mailbox);
        return inbox.getMessages();
    }

    long unseen() throws Exception {
        return inbox().stream().filter(m -> !m.getFlags().contains(Flags.Flag.SEEN)).count();
    }

    /** Marks every mail unseen again (as after a crash between the hand-off and the flag). */
    void markAllUnseen() throws Exception {
        MailFolder inbox = imap.getManagers().getImapHostManager().getInbox(mailbox);
        for (StoredMessage m : inbox.getMessages()) {
            inbox.setFlags(new Flags(Flags.Flag.SEEN), false, m.getUid(), null, false);
        }
    }

    /** What reached the dead-letter queue. */
    Endpoint deadLetters() {
        return context.getEndpoint(MusubiCamel.brokerQueue(MusubiCamel.DEAD_LETTER_QUEUE));
    }

    long counter(String name) {
        return instance.status().count(name);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // the polling interval
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        if (imap != null) {
            imap.stop();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    /** Seda standing in for the broker: it takes (and ignores) the JMS options of the real endpoint URIs. */
    static final class BrokerStandIn extends SedaComponent {
        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
                throws Exception {
            parameters.remove("transacted");
            return super.createEndpoint(uri, remaining, parameters);
        }
    }

    /**
     * A GreenMail server on the loopback address. Its start waits up to 15 s for the server thread (GreenMail's
     * default, 2 s, was once too short on a loaded two-core CI machine and failed the test before it began).
     */
    private static ServerSetup serverSetup(int port, String protocol) {
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", protocol);
        setup.setServerStartupTimeout(15_000);
        return setup;
    }
}
