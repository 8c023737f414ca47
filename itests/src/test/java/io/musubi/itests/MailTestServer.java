package io.musubi.itests;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A real IMAP mailbox and a real SMTP server (GreenMail) inside the container, each its own so that one can go away.
 * Loaded only after {@link MailTestServers#installGreenMail} installed GreenMail's bundles.
 */
final class MailTestServer implements AutoCloseable {

    final int imapPort = MailTestServers.freePort();
    final int smtpPort = MailTestServers.freePort();
    final String mailbox;
    final String password;
    final String smtpUser;
    final String smtpPassword;
    GreenMail imap;
    GreenMail smtp;
    GreenMailUser user;
    /** What SMTP servers stopped earlier had accepted. */
    private final List<MimeMessage> sentBefore = new ArrayList<>();
    private final Session session = Session.getInstance(new Properties());

    MailTestServer(String mailbox, String password, String smtpUser, String smtpPassword) {
        this.mailbox = mailbox;
        this.password = password;
        this.smtpUser = smtpUser;
        this.smtpPassword = smtpPassword;
        startImap();
        startSmtp();
    }

    void startImap() {
        startImap(password);
    }

    private void startImap(String mailboxPassword) {
        imap = new GreenMail(serverSetup(imapPort, ServerSetup.PROTOCOL_IMAP));
        imap.start();
        user = imap.setUser(mailbox, mailbox, mailboxPassword);
    }

    /**
     * The mailbox's password changed at the server, which drops its sessions (the IMAP server is started afresh on
     * the same port, with an empty mailbox and only the new password).
     */
    synchronized void changeImapPassword(String newPassword) {
        imap.stop();
        startImap(newPassword);
    }

    /** The SMTP server goes away (connections refused); what it accepted stays in {@link #sent()}. */
    synchronized void stopSmtp() {
        sentBefore.addAll(List.of(smtp.getReceivedMessages()));
        smtp.stop();
        smtp = null;
    }

    synchronized void startSmtp() {
        smtp = new GreenMail(serverSetup(smtpPort, ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        smtp.setUser(smtpUser, smtpUser, smtpPassword);
    }

    /** A customer's mail into the mailbox, as the mail server delivers it (CRLF line ends). */
    void deliver(String raw) throws Exception {
        user.deliver(new MimeMessage(session, new ByteArrayInputStream(raw.replace("\r\n", "\n").replace("\n", "\r\n")
                .getBytes(StandardCharsets.UTF_8))));
    }

    /** The mails the SMTP server accepted (also before it was stopped and started again). */
    synchronized List<MimeMessage> sent() {
        List<MimeMessage> all = new ArrayList<>(sentBefore);
        if (smtp != null) {
            all.addAll(List.of(smtp.getReceivedMessages()));
        }
        return all;
    }

    /**
     * The text of a single-part mail, decoded by its transfer encoding and charset. (Not {@code getContent()}: in the
     * container Jakarta Activation finds no content handlers through the probe's class loader, so that answers a
     * stream.)
     */
    static String text(MimeMessage m) throws Exception {
        String charset = new ContentType(m.getContentType()).getParameter("charset");
        try (var in = m.getInputStream()) {
            return new String(in.readAllBytes(), charset == null ? "US-ASCII" : charset);
        }
    }

    long unseen() throws Exception {
        MailFolder inbox = imap.getManagers().getImapHostManager().getInbox(user);
        List<StoredMessage> all = inbox.getMessages();
        return all.stream().filter(m -> !m.getFlags().contains(Flags.Flag.SEEN)).count();
    }

    void markAllUnseen() throws Exception {
        MailFolder inbox = imap.getManagers().getImapHostManager().getInbox(user);
        for (StoredMessage m : inbox.getMessages()) {
            inbox.setFlags(new Flags(Flags.Flag.SEEN), false, m.getUid(), null, false);
        }
    }

    @Override
    public void close() {
        imap.stop();
        if (smtp != null) {
            smtp.stop();
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
