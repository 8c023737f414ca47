package io.musubi.connector.mail.internal;

import io.musubi.camel.MusubiCamel;
import io.musubi.model.Attachment;
import io.musubi.model.InboundEvent;
import io.musubi.model.InputRules;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.ContentStore;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.IngressUnavailableException;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.StoredContent;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one mail from camel-mail's IMAP consumer into the hub. camel-mail marks the mail seen (or moves it) only
 * when this returns normally, so a mail is acknowledged only once its event is durable:
 * <ol>
 *   <li>the Camel message is replaced by an empty one: no header of the mail can steer camel-mail ({@code delete},
 *       {@code moveTo}, {@code copyTo}) or Camel ({@code Camel*});</li>
 *   <li>the mail is fetched whole into a temporary file (not into memory) and parsed ({@link MailParser}); a mail
 *       larger than the limit is not fetched: its headers make the event, with a note;</li>
 *   <li>automatic mail and our own mail coming back are dropped and counted;</li>
 *   <li>attachments are stored by reference in the hub's content store, under keys derived from the event id (a
 *       second reading stores nothing twice); one over the size limit or unreadable is left out with a note;</li>
 *   <li>the event goes to the {@link IngressGateway}; when the hub cannot take it the mail stays unseen and is read
 *       again at the next poll.</li>
 * </ol>
 * A mail without a sender is malformed: dead-lettered with its bytes and counted, then marked seen. A mail whose
 * reading keeps failing for another reason is treated the same after {@code maxReadAttempts} polls, so it is not read
 * forever.
 */
final class MailInbound implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(MailInbound.class);

    /** Counter of mails dropped as automatic (auto-replies, bounces, lists). */
    static final String IGNORED_AUTO_REPLY = "ignoredAutoReply";
    /** Counter of our own mails coming back (loops). */
    static final String IGNORED_LOOP = "ignoredLoop";
    static final String ATTACHMENTS_STORED = "attachmentsStored";
    static final String ATTACHMENTS_SKIPPED = "attachmentsSkipped";
    /** Header of a dead-lettered mail: its place in the mailbox. */
    static final String UID_HEADER = "MusubiMailUid";
    /** The most bytes of a malformed mail put into the dead-letter queue. */
    static final int MAX_DEAD_LETTER_BYTES = 10 * 1024 * 1024;

    private final String connectorId;
    private final String tenantId;
    private final MailMapper mapper;
    private final ContentStore content;
    private final IngressGateway ingress;
    private final ConnectorStatus status;
    private final Session parsing;
    private final Path tmpDir;
    private final long maxAttachmentBytes;
    private final long maxMailBytes;
    private final int maxReadAttempts;
    private final Clock clock;
    /** Failed readings per mailbox place, bounded. */
    private final Map<String, Integer> attempts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > 1000;
        }
    };

    MailInbound(String connectorId, String tenantId, MailMapper mapper, ContentStore content, IngressGateway ingress,
                ConnectorStatus status, Session parsing, Path tmpDir, long maxAttachmentBytes, long maxMailBytes,
                int maxReadAttempts, Clock clock) {
        this.connectorId = connectorId;
        this.tenantId = tenantId;
        this.mapper = mapper;
        this.content = content;
        this.ingress = ingress;
        this.status = status;
        this.parsing = parsing;
        this.tmpDir = tmpDir;
        this.maxAttachmentBytes = maxAttachmentBytes;
        this.maxMailBytes = maxMailBytes;
        this.maxReadAttempts = Math.max(1, maxReadAttempts);
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message mail = ((MailMessage) exchange.getIn()).getOriginalMessage();
        // Nothing the sender wrote reaches Camel or camel-mail's commit (which reads delete/moveTo/copyTo headers).
        exchange.setIn(new DefaultMessage(exchange));
        long uidValidity = -1;
        long uid = -1;
        Folder folder = mail.getFolder();
        if (folder instanceof UIDFolder uids) {
            uidValidity = uids.getUIDValidity();
            uid = uids.getUID(mail);
        }
        String place = uidValidity + "/" + uid;
        exchange.getIn().setHeader(UID_HEADER, place);
        exchange.getIn().setHeader(MusubiCamel.SOURCE_HEADER, connectorId);
        Instant received = receivedAt(mail);
        try {
            handle(exchange, mail, uidValidity, uid, received);
            forget(place);
        } catch (MalformedInputException | IngressUnavailableException e) {
            throw e;
        } catch (Exception e) {
            int n = failedOnce(place);
            if (n >= maxReadAttempts) {
                forget(place);
                throw new MalformedInputException("mail could not be read after " + n + " attempts ("
                        + MailPollStrategy.chain(e) + ")");
            }
            LOG.warn("Mail connector {}: mail {} could not be read ({}), attempt {} of {}; it stays unseen", connectorId,
                    place, MailPollStrategy.chain(e), n, maxReadAttempts);
            throw e;
        }
    }

    private void handle(Exchange exchange, Message mail, long uidValidity, long uid, Instant received)
            throws Exception {
        long size = mail.getSize();
        if (size > maxMailBytes) {
            handleTooLarge(exchange, mail, uidValidity, uid, received, size);
            return;
        }
        Files.createDirectories(tmpDir);
        Path raw = Files.createTempFile(tmpDir, "mail", ".eml");
        try {
            try (OutputStream out = Files.newOutputStream(raw)) {
                mail.writeTo(out);
            }
            try (SharedFileInputStream in = new SharedFileInputStream(raw.toFile())) {
                MimeMessage mime = new MimeMessage(parsing, in);
                ParsedMail parsed = MailParser.parse(mime);
                if (parsed.fromAddress().isEmpty()) {
                    deadLetterBody(exchange, raw);
                    throw new MalformedInputException("mail has no sender address (From)");
                }
                if (drop(parsed)) {
                    return;
                }
                submit(parsed, uidValidity, uid, received);
            }
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    /** Whether the mail is automatic or ours coming back (counted), so it is not an inbound message. */
    private boolean drop(ParsedMail parsed) {
        String ignored = mapper.ignored(parsed);
        if (ignored.isEmpty()) {
            return false;
        }
        status.increment(ignored.startsWith("loop:") ? IGNORED_LOOP : IGNORED_AUTO_REPLY);
        LOG.info("Mail connector {}: mail ignored ({})", connectorId, ignored);
        return true;
    }

    private void submit(ParsedMail parsed, long uidValidity, long uid, Instant received) throws IOException {
        String eventId = MailMapper.eventId(parsed, uidValidity, uid);
        List<Attachment> stored = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (ParsedMail.MailPart part : parsed.attachments()) {
            if (stored.size() >= InputRules.ATTACHMENTS_MAX) {
                notes.add("attachment " + label(part) + " not kept: more than " + InputRules.ATTACHMENTS_MAX
                        + " attachments");
                status.increment(ATTACHMENTS_SKIPPED);
                continue;
            }
            store(eventId, part, stored, notes);
        }
        if (parsed.unreadableParts() > 0) {
            notes.add(parsed.unreadableParts() + " part(s) of this mail could not be read");
        }
        if (parsed.text().length() > InputRules.MESSAGE_TEXT_MAX && stored.size() < InputRules.ATTACHMENTS_MAX) {
            // The whole text is kept as an attachment; the message carries its beginning.
            byte[] whole = parsed.text().getBytes(StandardCharsets.UTF_8);
            StoredContent c = content.put(tenantId, key(eventId, "text"), "text/plain",
                    "message.txt", new ByteArrayInputStream(whole), Math.max(maxAttachmentBytes, whole.length));
            stored.add(new Attachment(c.ref(), "text/plain", c.name(), c.size()));
            notes.add("the text is longer than " + InputRules.MESSAGE_TEXT_MAX + " characters: all of it is in "
                    + "message.txt");
        }
        List<InboundEvent> events = mapper.toEvents(new InboundMail(parsed, uidValidity, uid, received, stored,
                notes));
        if (!events.isEmpty()) {
            ingress.submit(events); // durable once this returns: camel-mail then marks the mail seen
            status.increment(ConnectorStatus.RECEIVED);
        }
    }

    private void store(String eventId, ParsedMail.MailPart part, List<Attachment> stored, List<String> notes)
            throws IOException {
        ReadTracking in;
        try {
            in = new ReadTracking(part.part().getInputStream());
        } catch (MessagingException | IOException | RuntimeException e) {
            notes.add("attachment " + label(part) + " could not be read");
            status.increment(ATTACHMENTS_SKIPPED);
            return;
        }
        try (in) {
            StoredContent c = content.put(tenantId, key(eventId, Integer.toString(part.index())), part.mediaType(),
                    part.name(), in, maxAttachmentBytes);
            stored.add(new Attachment(c.ref(), part.mediaType(), c.name(), c.size()));
            status.increment(ATTACHMENTS_STORED);
        } catch (ContentStore.ContentTooLargeException e) {
            notes.add("attachment " + label(part) + " not kept: larger than " + maxAttachmentBytes + " bytes");
            status.increment(ATTACHMENTS_SKIPPED);
        } catch (IOException e) {
            if (!in.failed) {
                throw e; // the content store could not write: try the whole mail again later
            }
            notes.add("attachment " + label(part) + " could not be read");
            status.increment(ATTACHMENTS_SKIPPED);
        }
    }

    /** A mail over the size limit: its headers only, with a note; the mail itself stays in the mailbox. */
    private void handleTooLarge(Exchange exchange, Message mail, long uidValidity, long uid, Instant received, long size)
            throws MessagingException, IOException {
        StringBuilder headers = new StringBuilder();
        var lines = ((MimeMessage) mail).getAllHeaderLines();
        while (lines.hasMoreElements()) {
            headers.append(lines.nextElement()).append("\r\n");
        }
        headers.append("\r\n");
        MimeMessage headersOnly = new MimeMessage(parsing,
                new ByteArrayInputStream(headers.toString().getBytes(StandardCharsets.ISO_8859_1)));
        ParsedMail p = MailParser.parse(headersOnly);
        if (p.fromAddress().isEmpty()) {
            exchange.getIn().setBody(("mail of " + size + " bytes not copied; it stays in the mailbox as "
                    + exchange.getIn().getHeader(UID_HEADER)).getBytes(StandardCharsets.UTF_8));
            throw new MalformedInputException("mail has no sender address (From)");
        }
        if (drop(p)) {
            return;
        }
        ParsedMail noted = new ParsedMail(p.messageId(), p.inReplyTo(), p.references(), p.fromAddress(), p.fromName(),
                p.replyTo(), p.recipients(), p.subject(), p.date(), p.rawDate(), p.autoReply(), "", false, List.of(),
                0);
        status.increment(ATTACHMENTS_SKIPPED);
        List<InboundEvent> events = mapper.toEvents(new InboundMail(noted, uidValidity, uid, received, List.of(),
                List.of("this mail of " + size + " bytes is larger than the limit of " + maxMailBytes
                        + " bytes and was not fetched; it stays in the mailbox")));
        if (!events.isEmpty()) {
            ingress.submit(events);
            status.increment(ConnectorStatus.RECEIVED);
        }
    }

    /** The dead-letter queue gets the mail's bytes (up to a limit) and where it lies. */
    private static void deadLetterBody(Exchange exchange, Path raw) throws IOException {
        long size = Files.size(raw);
        if (size <= MAX_DEAD_LETTER_BYTES) {
            exchange.getIn().setBody(Files.readAllBytes(raw));
        } else {
            exchange.getIn().setBody(("mail of " + size + " bytes not copied; it stays in the mailbox as "
                    + exchange.getIn().getHeader(UID_HEADER)).getBytes(StandardCharsets.UTF_8));
        }
    }

    private String key(String eventId, String part) {
        return "mail/" + connectorId + "/" + eventId + "/" + part;
    }

    private static String label(ParsedMail.MailPart part) {
        return part.name().isEmpty() ? "#" + part.index() + " (" + part.mediaType() + ")" : part.name();
    }

    private Instant receivedAt(Message mail) {
        try {
            if (mail.getReceivedDate() != null) {
                return mail.getReceivedDate().toInstant();
            }
        } catch (MessagingException e) {
            // fall back to now
        }
        return clock.instant();
    }

    private synchronized int failedOnce(String place) {
        return attempts.merge(place, 1, Integer::sum);
    }

    private synchronized void forget(String place) {
        attempts.remove(place);
    }

    /** A stream that remembers whether reading it failed (a broken part) rather than writing it (the store). */
    private static final class ReadTracking extends FilterInputStream {
        boolean failed;

        ReadTracking(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e instanceof IOException io ? io : new IOException(e.getClass().getSimpleName(), e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e instanceof IOException io ? io : new IOException(e.getClass().getSimpleName(), e);
            }
        }
    }
}
