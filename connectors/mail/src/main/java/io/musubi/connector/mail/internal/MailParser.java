package io.musubi.connector.mail.internal;

import io.musubi.connector.mail.internal.ParsedMail.MailPart;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimePartDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.IDN;
import java.text.ParsePosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;

/**
 * Reads a MIME message as the agent should see it, never giving up on a mail for a broken part: the headers that
 * matter, decoded ({@link HeaderText}); the text (text/plain preferred over HTML in {@code multipart/alternative}, HTML
 * converted by {@link HtmlText}, {@code format=flowed} un-flowed, Japanese charsets decoded by {@link MailCharsets});
 * every other part as an attachment to store. A part that cannot be read (a multipart without its boundary, a broken
 * transfer encoding, a structure deeper than {@value #MAX_DEPTH} or wider than {@value #MAX_PARTS} parts) is left out
 * and counted in {@link ParsedMail#unreadableParts()}.
 *
 * <p>Multiparts are read from the part's own bytes ({@link MimePartDataSource}) and text from its decoded stream, so
 * nothing here depends on Jakarta Activation's mailcap registry (which needs the thread's context class loader in
 * OSGi).
 */
final class MailParser {

    static final int MAX_DEPTH = 16;
    static final int MAX_PARTS = 200;
    /** Text parts are read up to this many bytes (a longer text is cut, its whole part is kept as an attachment). */
    static final int MAX_TEXT_BYTES = 4 * 1024 * 1024;

    private static final Pattern LOOSE_ADDRESS = Pattern.compile("[^\\s<>\"(),;:]+@[^\\s<>\"(),;:]+");

    private MailParser() {
    }

    static ParsedMail parse(MimeMessage m) throws MessagingException {
        String messageId = MessageIds.parseOne(header(m, "Message-ID"));
        List<String> inReplyTo = MessageIds.parseList(header(m, "In-Reply-To"));
        List<String> references = MessageIds.parseList(header(m, "References"));
        Sender from = sender(header(m, "From"));
        if (from.address().isEmpty()) {
            from = sender(header(m, "Sender"));
        }
        String replyTo = sender(header(m, "Reply-To")).address();
        if (replyTo.equalsIgnoreCase(from.address())) {
            replyTo = "";
        }
        List<String> recipients = new ArrayList<>();
        for (String h : new String[] {"To", "Cc", "Delivered-To", "X-Original-To"}) {
            for (String a : addresses(header(m, h))) {
                recipients.add(a.toLowerCase(Locale.ROOT));
            }
        }
        String subject = HeaderText.decode(header(m, "Subject"));
        String rawDate = header(m, "Date") == null ? "" : HeaderText.decode(header(m, "Date"));
        Instant date = date(rawDate);

        Walk walk = new Walk();
        walk.part(m, 0);
        String text = walk.plain.isEmpty() ? "" : String.join("\n\n", walk.plain);
        boolean fromHtml = false;
        if (text.isBlank() && !walk.html.isEmpty()) {
            text = String.join("\n\n", walk.html);
            fromHtml = true;
        }
        return new ParsedMail(messageId, inReplyTo, references, from.address(), from.name(), replyTo, recipients,
                subject, date, rawDate, autoReply(m), text, fromHtml, walk.attachments, walk.unreadable);
    }

    /** A header's raw value (several joined by ", "), or null. */
    static String header(Part p, String name) {
        try {
            String[] values = p.getHeader(name);
            if (values == null || values.length == 0) {
                return null;
            }
            return String.join(", ", values);
        } catch (MessagingException e) {
            return null;
        }
    }

    private record Sender(String address, String name) {
    }

    /** The first mailbox of an address header: its normalised address and decoded display name. */
    private static Sender sender(String raw) {
        if (raw == null || raw.isBlank()) {
            return new Sender("", "");
        }
        try {
            InternetAddress[] parsed = InternetAddress.parseHeader(HeaderText.encodeRawRuns(raw), false);
            for (InternetAddress a : parsed) {
                String address = normalise(a.getAddress());
                if (!address.isEmpty()) {
                    return new Sender(address, displayName(a));
                }
            }
        } catch (AddressException e) {
            // fall through to the loose reading below
        }
        Matcher loose = LOOSE_ADDRESS.matcher(raw);
        return loose.find() ? new Sender(normalise(loose.group()), "") : new Sender("", "");
    }

    private static List<String> addresses(String raw) {
        List<String> out = new ArrayList<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        try {
            for (InternetAddress a : InternetAddress.parseHeader(HeaderText.encodeRawRuns(raw), false)) {
                String address = normalise(a.getAddress());
                if (!address.isEmpty()) {
                    out.add(address);
                }
            }
        } catch (AddressException e) {
            Matcher loose = LOOSE_ADDRESS.matcher(raw);
            while (loose.find()) {
                String address = normalise(loose.group());
                if (!address.isEmpty()) {
                    out.add(address);
                }
            }
        }
        return out;
    }

    /**
     * {@code local@domain} with the domain lower-cased and in ASCII (IDN), as the identity service normalises mailto
     * addresses; empty when it is not an address.
     */
    static String normalise(String address) {
        if (address == null) {
            return "";
        }
        String a = address.strip();
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1) {
            return "";
        }
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c <= 0x20 || c == 0x7F || c == '<' || c == '>') {
                return "";
            }
        }
        String domain = a.substring(at + 1);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        try {
            domain = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
        if (domain.isEmpty() || a.length() > 320) {
            return "";
        }
        return a.substring(0, at) + "@" + domain;
    }

    /** The display name from its raw (possibly encoded, quoted, 8-bit) form, decoded by {@link HeaderText}. */
    private static String displayName(InternetAddress a) {
        String s = a.toString(); // quotePhrase(raw personal) + " <" + address + ">" when there is a personal
        int lt = s.lastIndexOf(" <");
        if (lt <= 0 || !s.endsWith(">")) {
            return "";
        }
        String raw = s.substring(0, lt).strip();
        if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
            raw = raw.substring(1, raw.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        String name = HeaderText.decode(raw);
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1).strip();
        }
        return name.length() > 128 ? name.substring(0, 128) : name;
    }

    private static Instant date(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            Date d = new MailDateFormat().parse(raw, new ParsePosition(0));
            return d == null ? null : d.toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Why the mail was sent by a machine rather than a person (RFC 3834 {@code Auto-Submitted}, {@code Precedence},
     * vendors' auto-reply headers, delivery and read reports, the null sender of bounces); empty when it was not.
     */
    static String autoReply(Part m) {
        String auto = first(header(m, "Auto-Submitted"));
        if (!auto.isEmpty() && !auto.equals("no")) {
            return "auto-submitted";
        }
        String precedence = first(header(m, "Precedence"));
        if (precedence.equals("bulk") || precedence.equals("junk") || precedence.equals("list")
                || precedence.equals("auto_reply")) {
            return "precedence-" + precedence;
        }
        for (String h : new String[] {"X-Autoreply", "X-Autorespond", "X-Auto-Reply", "X-Autogenerated",
                "X-AutoReply-From", "X-Mail-Autoreply"}) {
            String v = first(header(m, h));
            if (header(m, h) != null && !v.equals("no") && !v.equals("false")) {
                return "autoreply-header";
            }
        }
        String returnPath = header(m, "Return-Path");
        if (returnPath != null && returnPath.replaceAll("[\\s<>]", "").isEmpty()) {
            return "null-sender";
        }
        String type = header(m, "Content-Type");
        if (type != null) {
            String t = type.toLowerCase(Locale.ROOT);
            if (t.contains("multipart/report")
                    && (t.contains("delivery-status") || t.contains("disposition-notification"))) {
                return "report";
            }
        }
        return "";
    }

    /** The first word of a header value, lower case, without comments or parameters. */
    private static String first(String raw) {
        if (raw == null) {
            return "";
        }
        String v = raw.replaceAll("\\([^)]*\\)", " ").strip().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < v.length() && v.charAt(end) != ';' && !Character.isWhitespace(v.charAt(end))
                && v.charAt(end) != ',') {
            end++;
        }
        return v.substring(0, end);
    }

    /** Walks the MIME tree, collecting the text and the attachments. */
    private static final class Walk {
        final List<String> plain = new ArrayList<>();
        final List<String> html = new ArrayList<>();
        final List<MailPart> attachments = new ArrayList<>();
        int parts;
        int unreadable;

        void part(Part p, int depth) {
            if (++parts > MAX_PARTS || depth > MAX_DEPTH) {
                unreadable++;
                return;
            }
            ContentType type = contentType(p);
            String base = type.getBaseType().toLowerCase(Locale.ROOT);
            boolean attachment = isAttachment(p);
            try {
                if (base.startsWith("multipart/")) {
                    MimeMultipart multipart = new MimeMultipart(new MimePartDataSource((MimePart) p));
                    int count = multipart.getCount();
                    if (base.equals("multipart/alternative") && count > 0) {
                        alternative(multipart, count, depth);
                    } else {
                        for (int i = 0; i < count; i++) {
                            part(multipart.getBodyPart(i), depth + 1);
                        }
                    }
                    return;
                }
                if (!attachment && base.equals("text/plain")) {
                    plain.add(plainText(p, type));
                    return;
                }
                if (!attachment && base.equals("text/html")) {
                    html.add(htmlText(p, type));
                    return;
                }
                if (depth == 0 && base.startsWith("text/") && !attachment) {
                    plain.add(plainText(p, type)); // text/enriched and the like: as text
                    return;
                }
                attachments.add(new MailPart(attachments.size() + 1, fileName(p), mediaType(base), p));
            } catch (MessagingException | IOException | RuntimeException e) {
                unreadable++;
            }
        }

        /** The best alternative: the first text/plain, else the last (richest) one. */
        private void alternative(MimeMultipart multipart, int count, int depth) throws MessagingException {
            for (int i = 0; i < count; i++) {
                Part child = multipart.getBodyPart(i);
                if (contentType(child).getBaseType().equalsIgnoreCase("text/plain") && !isAttachment(child)) {
                    part(child, depth + 1);
                    return;
                }
            }
            part(multipart.getBodyPart(count - 1), depth + 1);
        }
    }

    private static ContentType contentType(Part p) {
        try {
            String raw = p.getContentType();
            if (raw != null) {
                return new ContentType(raw);
            }
        } catch (MessagingException | RuntimeException e) {
            // an unparseable Content-Type: treat the part as opaque bytes
            return new ContentType("application", "octet-stream", null);
        }
        return new ContentType("text", "plain", null);
    }

    private static boolean isAttachment(Part p) {
        try {
            String disposition = p.getDisposition();
            return (disposition != null && disposition.equalsIgnoreCase(Part.ATTACHMENT))
                    || !fileName(p).isEmpty() && !(disposition != null && disposition.equalsIgnoreCase(Part.INLINE)
                    && contentTypeIsText(p));
        } catch (MessagingException | RuntimeException e) {
            return false;
        }
    }

    private static boolean contentTypeIsText(Part p) {
        String base = contentType(p).getBaseType().toLowerCase(Locale.ROOT);
        return base.equals("text/plain") || base.equals("text/html");
    }

    private static String plainText(Part p, ContentType type) throws MessagingException, IOException {
        byte[] bytes = read(p);
        String text = MailCharsets.decode(bytes, type.getParameter("charset"));
        if ("flowed".equalsIgnoreCase(strip(type.getParameter("format")))) {
            text = FlowedText.unflow(text, "yes".equalsIgnoreCase(strip(type.getParameter("delsp"))));
        }
        return text.replace("\r\n", "\n").replace('\r', '\n').strip();
    }

    private static String htmlText(Part p, ContentType type) throws MessagingException, IOException {
        byte[] bytes = read(p);
        String charset = type.getParameter("charset");
        if (MailCharsets.forDecoding(charset) == null && !MailCharsets.hasIso2022Escapes(bytes)) {
            // No usable label: let the HTML parser find its <meta charset> or byte-order mark.
            return HtmlText.toText(Jsoup.parse(new java.io.ByteArrayInputStream(bytes), null, ""));
        }
        return HtmlText.toText(MailCharsets.decode(bytes, charset));
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }

    private static byte[] read(Part p) throws MessagingException, IOException {
        try (InputStream in = p.getInputStream()) {
            return in.readNBytes(MAX_TEXT_BYTES);
        }
    }

    /** The file name, decoded (RFC 2231 by Jakarta Mail, RFC 2047 and raw 8-bit here) and made safe to show. */
    static String fileName(Part p) {
        String raw;
        try {
            raw = p.getFileName();
        } catch (MessagingException | RuntimeException e) {
            return "";
        }
        if (raw == null) {
            return "";
        }
        String name = HeaderText.decode(raw);
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1).replaceAll("[\\p{Cntrl}\\u2028\\u2029\\u061C\\u200E\\u200F\\u202A-\\u202E"
                + "\\u2066-\\u2069]", "").strip();
        if (name.equals(".") || name.equals("..")) {
            return "";
        }
        return name.length() > 200 ? name.substring(0, 200) : name;
    }

    private static String mediaType(String base) {
        if (!base.matches("[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")) {
            return "application/octet-stream";
        }
        return base;
    }
}
