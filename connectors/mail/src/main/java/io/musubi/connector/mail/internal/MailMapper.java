package io.musubi.connector.mail.internal;

import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InputRules;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.MessageMapper;
import io.musubi.spi.PermanentDeliveryException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The e-mail connector's two-way mapping (pure: no I/O, no clock, no randomness).
 *
 * <p><b>Inbound</b> one mail is one {@code MESSAGE_IN}:
 * <ul>
 *   <li>event id: {@code mid-} and a digest of the Message-ID, the sender and the Date header, so the same mail read
 *       twice (a re-poll, a restart, the same mail delivered to the mailbox twice) is one event, while a sender reusing
 *       a Message-ID for another mail is not taken for a repeat; a mail without a Message-ID uses its place in the
 *       mailbox, {@code uid-<UIDVALIDITY>-<UID>};</li>
 *   <li>thread key: the root Message-ID of the mail's thread ({@link #threadRoot}), so an answer joins the open
 *       interaction of its conversation;</li>
 *   <li>from {@code mailto:<sender>}, to {@code mailto:<our address it came to>};</li>
 *   <li>attributes: {@code mail.subject}, {@code mail.messageId}, {@code mail.date}, and for replies
 *       {@code reply.mail.*} (the Message-ID answered, the References, the subject, the Reply-To, our address).</li>
 * </ul>
 * Automatic mail (auto-replies, bounces, lists) and our own mail coming back are not mapped ({@link #ignored}).
 *
 * <p><b>Outbound</b> a reply answers the latest mail of its interaction: {@code In-Reply-To} that mail,
 * {@code References} its References and its Message-ID, subject {@code Re: } once, our Message-ID derived from the
 * outbound message id ({@link MessageIds}).
 */
final class MailMapper implements MessageMapper<InboundMail, OutgoingMail> {

    static final String TYPE = "mail";

    static final String SUBJECT = "mail.subject";
    static final String MESSAGE_ID = "mail.messageId";
    static final String DATE = "mail.date";
    static final String FROM_NAME = "mail.fromName";
    static final String REPLY_MESSAGE_ID = ConnectorAttributes.REPLY_PREFIX + "mail.messageId";
    static final String REPLY_REFERENCES = ConnectorAttributes.REPLY_PREFIX + "mail.references";
    static final String REPLY_SUBJECT = ConnectorAttributes.REPLY_PREFIX + "mail.subject";
    static final String REPLY_TO = ConnectorAttributes.REPLY_PREFIX + "mail.replyTo";
    static final String REPLY_FROM = ConnectorAttributes.REPLY_PREFIX + "mail.from";
    static final String REPLY_ROOT = ConnectorAttributes.REPLY_PREFIX + "mail.threadRoot";

    /** A thread key longer than this is replaced by its digest. */
    static final int MAX_THREAD_KEY = 900;
    /** The References kept with a conversation (the first and the latest ones), and their length. */
    static final int MAX_REFERENCES = 20;
    static final int MAX_REFERENCES_CHARS = 3_000;

    private static final Pattern REPLY_PREFIX = Pattern.compile(
            "^(?:(?:re|aw|sv|antw|vs|res|返信|回复|回覆)\\s*(?:\\[\\d+\\]|\\(\\d+\\))?\\s*[:：]\\s*)+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private final String source;
    private final String tenantId;
    private final String queue;
    private final List<String> ourAddresses;
    private final Set<String> ours;
    private final String fromName;
    private final String defaultSubject;
    private final MessageIds ids;

    /**
     * @param ourAddresses the mailbox's addresses; the first is the From of replies to mail that came to none of them
     */
    MailMapper(String source, String tenantId, String queue, List<String> ourAddresses, String fromName,
               String defaultSubject, MessageIds ids) {
        this.source = source;
        this.tenantId = tenantId;
        this.queue = queue == null ? "" : queue.strip();
        List<String> normalised = new ArrayList<>();
        for (String a : ourAddresses) {
            String n = MailParser.normalise(a);
            if (n.isEmpty()) {
                throw new IllegalArgumentException("addresses: each must be local@domain");
            }
            normalised.add(n);
        }
        if (normalised.isEmpty()) {
            throw new IllegalArgumentException("addresses: at least one address is needed");
        }
        this.ourAddresses = List.copyOf(normalised);
        this.ours = new LinkedHashSet<>();
        normalised.forEach(a -> ours.add(a.toLowerCase(Locale.ROOT)));
        this.fromName = fromName == null ? "" : fromName.strip();
        this.defaultSubject = defaultSubject == null || defaultSubject.isBlank() ? "Your inquiry" : defaultSubject;
        this.ids = ids;
    }

    MessageIds ids() {
        return ids;
    }

    List<String> ourAddresses() {
        return ourAddresses;
    }

    /**
     * Why a mail is not an inbound message: {@code auto-reply:<kind>} for automatic mail, {@code loop:own-address} or
     * {@code loop:own-message} for our own mail coming back; empty for a person's mail.
     */
    String ignored(ParsedMail mail) {
        if (!mail.fromAddress().isEmpty() && ours.contains(mail.fromAddress().toLowerCase(Locale.ROOT))) {
            return "loop:own-address";
        }
        if (!mail.messageId().isEmpty() && ids.isOurs(mail.messageId())) {
            return "loop:own-message";
        }
        if (!mail.autoReply().isEmpty()) {
            return "auto-reply:" + mail.autoReply();
        }
        return "";
    }

    @Override
    public List<InboundEvent> toEvents(InboundMail in) {
        ParsedMail mail = in.mail();
        if (mail.fromAddress().isEmpty()) {
            throw new MalformedInputException("mail has no sender address (From)");
        }
        if (!ignored(mail).isEmpty()) {
            return List.of();
        }
        Address from;
        Address to;
        try {
            from = Address.of("mailto", mail.fromAddress());
            to = Address.of("mailto", ourAddressOf(mail));
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException("mail sender address is not usable (From)");
        }
        String root = threadRoot(mail, in.uidValidity(), in.uid());
        Map<String, String> attributes = new HashMap<>();
        attributes.put(SUBJECT, cut(mail.subject(), 998));
        attributes.put(MESSAGE_ID, mail.messageId());
        attributes.put(DATE, cut(mail.rawDate(), 200));
        if (!mail.fromName().isEmpty()) {
            attributes.put(FROM_NAME, mail.fromName());
        }
        if (!queue.isEmpty()) {
            attributes.put(ConnectorAttributes.QUEUE, queue);
        }
        // Replies answer the latest mail: each of these is set on every mail (empty when absent), so a value of an
        // earlier mail never lingers on the interaction.
        attributes.put(REPLY_MESSAGE_ID, mail.messageId());
        attributes.put(REPLY_REFERENCES, String.join(" ", references(mail)));
        attributes.put(REPLY_SUBJECT, cut(mail.subject(), 998));
        attributes.put(REPLY_TO, mail.replyTo());
        attributes.put(REPLY_FROM, to.value());
        attributes.put(REPLY_ROOT, root.length() <= MAX_THREAD_KEY ? root : "");
        return List.of(new InboundEvent(eventId(mail, in.uidValidity(), in.uid()), source, tenantId, Channel.EMAIL,
                InteractionEventType.MESSAGE_IN, from, to, threadKey(root), new MessageContent(text(in), in.stored()),
                attributes, in.receivedAt()));
    }

    /** The text for the agent, cut to the hub's limit, with the notes about what was not kept. */
    private static String text(InboundMail in) {
        StringBuilder text = new StringBuilder(in.mail().text());
        for (String note : in.notes()) {
            if (text.length() > 0) {
                text.append("\n\n");
            }
            text.append('[').append(note).append(']');
        }
        String t = text.toString();
        if (t.length() > InputRules.MESSAGE_TEXT_MAX) {
            String tail = "\n[…]";
            t = t.substring(0, InputRules.MESSAGE_TEXT_MAX - tail.length()) + tail;
        }
        return sanitiseText(t);
    }

    /** Free text may hold line breaks and tabs; other control characters (a stray ESC, NUL) are dropped. */
    static String sanitiseText(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\t' || c == '\r' || !(Character.isISOControl(c) || Character.isSurrogate(c))) {
                out.append(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            }
        }
        return out.toString();
    }

    /** Which of our addresses the mail came to (To, Cc, Delivered-To), else the first one. */
    String ourAddressOf(ParsedMail mail) {
        for (String r : mail.recipients()) {
            if (ours.contains(r)) {
                for (String a : ourAddresses) {
                    if (a.equalsIgnoreCase(r)) {
                        return a;
                    }
                }
            }
        }
        return ourAddresses.get(0);
    }

    /**
     * The root Message-ID of the mail's thread: the root carried by one of our Message-IDs it answers, else the first
     * of its References, else its In-Reply-To, else its own Message-ID; a mail without any of these is a thread of
     * its own, named by its place in the mailbox.
     */
    String threadRoot(ParsedMail mail, long uidValidity, long uid) {
        List<String> answered = new ArrayList<>(mail.references());
        answered.addAll(mail.inReplyTo());
        for (String id : answered) {
            var root = ids.rootOf(id);
            if (root.isPresent()) {
                return root.get();
            }
        }
        if (!mail.references().isEmpty()) {
            return mail.references().get(0);
        }
        if (!mail.inReplyTo().isEmpty()) {
            return mail.inReplyTo().get(0);
        }
        if (!mail.messageId().isEmpty()) {
            return mail.messageId();
        }
        return "uid-" + uidValidity + "-" + uid + "@" + source;
    }

    /** The thread key of a root: the root itself, or {@code sha256:<digest>} when it is too long to store. */
    static String threadKey(String root) {
        return root.length() <= MAX_THREAD_KEY ? root : "sha256:" + sha256(root);
    }

    /** The event id of a mail (see the class comment). */
    static String eventId(ParsedMail mail, long uidValidity, long uid) {
        if (mail.messageId().isEmpty()) {
            return "uid-" + uidValidity + "-" + uid;
        }
        String key = mail.messageId() + "\n" + mail.fromAddress().toLowerCase(Locale.ROOT) + "\n" + mail.rawDate();
        return "mid-" + sha256(key).substring(0, 40);
    }

    /** The References a reply to this mail carries: its References and its Message-ID, the first and latest kept. */
    static List<String> references(ParsedMail mail) {
        List<String> refs = new ArrayList<>(mail.references());
        if (refs.isEmpty() && !mail.inReplyTo().isEmpty()) {
            refs.add(mail.inReplyTo().get(0));
        }
        if (!mail.messageId().isEmpty() && !refs.contains(mail.messageId())) {
            refs.add(mail.messageId());
        }
        while (refs.size() > 1 && (refs.size() > MAX_REFERENCES
                || String.join(" ", refs).length() > MAX_REFERENCES_CHARS)) {
            refs.remove(1); // keep the root and the latest ones (RFC 5322 3.6.4 allows dropping the middle)
        }
        if (String.join(" ", refs).length() > MAX_REFERENCES_CHARS) {
            refs.clear();
        }
        return refs;
    }

    @Override
    public OutgoingMail toExternal(OutboundMessage message) {
        if (!"mailto".equals(message.to().scheme())) {
            throw new PermanentDeliveryException("invalid-recipient", "the customer's address is not a mail address");
        }
        Map<String, String> a = message.attributes();
        String replyTo = a.getOrDefault(REPLY_TO, "");
        String to = MailParser.normalise(replyTo.isBlank() ? message.to().value() : replyTo);
        if (to.isEmpty()) {
            throw new PermanentDeliveryException("invalid-recipient", "the customer's address is not a mail address");
        }
        String from = a.getOrDefault(REPLY_FROM, "");
        if (from.isBlank() || !ours.contains(from.toLowerCase(Locale.ROOT))) {
            from = ourAddresses.get(0);
        }
        String inReplyTo = a.getOrDefault(REPLY_MESSAGE_ID, "");
        List<String> references = new ArrayList<>();
        for (String r : a.getOrDefault(REPLY_REFERENCES, "").split("\\s+")) {
            if (!r.isBlank()) {
                references.add(r);
            }
        }
        String root = a.getOrDefault(REPLY_ROOT, "");
        if (root.isEmpty() && !references.isEmpty()) {
            root = references.get(0);
        }
        return new OutgoingMail(from, fromName, to, replySubject(a.getOrDefault(REPLY_SUBJECT, ""), defaultSubject),
                ids.ours(message.id(), root), inReplyTo, references, message.content().text(),
                message.content().attachments(), message.createdAt());
    }

    /** {@code Re: } and the subject without its reply prefixes ({@code Re: Re[2]: AW: 返信: x} becomes {@code Re: x}). */
    static String replySubject(String original, String fallback) {
        String s = original == null ? "" : original.strip();
        Matcher m = REPLY_PREFIX.matcher(s);
        if (m.find()) {
            s = s.substring(m.end()).strip();
        }
        if (s.isEmpty()) {
            s = fallback;
        }
        return "Re: " + s;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
