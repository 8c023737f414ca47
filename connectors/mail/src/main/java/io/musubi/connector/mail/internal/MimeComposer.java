package io.musubi.connector.mail.internal;

import io.musubi.model.Attachment;
import io.musubi.spi.ContentStore;
import io.musubi.spi.PermanentDeliveryException;

import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes a reply as a MIME message: From, To, Subject (RFC 2047), Date, our Message-ID, {@code In-Reply-To} and
 * {@code References}; the text as {@code text/plain} in UTF-8 (or ISO-2022-JP when configured and the text fits in
 * it); attachments from the hub's content store in {@code multipart/mixed}. No {@code Auto-Submitted} header: a reply
 * is written by an agent, a person (RFC 3834).
 */
final class MimeComposer {

    /** The Java charset ISO-2022-JP replies are written with: JIS X 0208 plus the NEC special characters. */
    static final Charset ISO_2022_JP_ENCODING = Charset.forName("x-windows-50220");

    private final Session session;
    private final boolean iso2022jp;

    MimeComposer(Session session, String outboundCharset) {
        this.session = session;
        String c = outboundCharset == null ? "" : outboundCharset.strip().toUpperCase(Locale.ROOT);
        if (!c.equals("UTF-8") && !c.equals("ISO-2022-JP")) {
            throw new IllegalArgumentException("outboundCharset must be UTF-8 or ISO-2022-JP");
        }
        this.iso2022jp = c.equals("ISO-2022-JP");
    }

    /** A MIME message that keeps the Message-ID it was given when it is saved. */
    static final class ReplyMessage extends MimeMessage {
        private final String messageId;

        ReplyMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<" + messageId + ">");
        }
    }

    MimeMessage compose(OutgoingMail mail, String tenantId, ContentStore content) throws MessagingException {
        String charset = iso2022jp && fits(mail) ? "ISO-2022-JP" : "UTF-8";
        ReplyMessage m = new ReplyMessage(session, mail.messageId());
        try {
            m.setFrom(mail.fromName().isEmpty() ? new InternetAddress(mail.fromAddress(), true)
                    : new InternetAddress(mail.fromAddress(), mail.fromName(), charset));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
        try {
            m.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(mail.to(), true));
        } catch (AddressException e) {
            throw new PermanentDeliveryException("invalid-recipient", "the customer's address is not a mail address");
        }
        m.setSubject(mail.subject(), charset);
        m.setSentDate(Date.from(mail.date()));
        if (!mail.inReplyTo().isEmpty()) {
            m.setHeader("In-Reply-To", "<" + mail.inReplyTo() + ">");
        }
        if (!mail.references().isEmpty()) {
            m.setHeader("References", MimeUtility.fold("References: ".length(), mail.references().stream()
                    .map(r -> "<" + r + ">").collect(Collectors.joining(" "))));
        }
        MimeBodyPart text = textPart(mail.text(), charset);
        if (mail.attachments().isEmpty()) {
            m.setDataHandler(text.getDataHandler());
            m.setHeader("Content-Type", text.getContentType());
            m.setHeader("Content-Transfer-Encoding", text.getEncoding());
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            mixed.addBodyPart(text);
            for (Attachment a : mail.attachments()) {
                mixed.addBodyPart(attachmentPart(a, tenantId, content));
            }
            // The multipart is written by its own writeTo, never through Activation's mailcap registry (which needs
            // the thread's context class loader in OSGi): the data handler serialises it and answers it as content.
            m.setDataHandler(new DataHandler(new MultipartSource(mixed)) {
                @Override
                public Object getContent() {
                    return mixed;
                }
            });
            m.setHeader("Content-Type", mixed.getContentType());
            m.setHeader("Content-Transfer-Encoding", "7bit");
        }
        m.saveChanges();
        return m;
    }

    private boolean fits(OutgoingMail mail) {
        var encoder = ISO_2022_JP_ENCODING.newEncoder();
        return encoder.canEncode(mail.text()) && encoder.canEncode(mail.subject())
                && encoder.canEncode(mail.fromName());
    }

    private static MimeBodyPart textPart(String text, String charset) throws MessagingException {
        String normalised = text.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
        boolean jis = charset.equals("ISO-2022-JP");
        byte[] bytes = normalised.getBytes(jis ? ISO_2022_JP_ENCODING : StandardCharsets.UTF_8);
        MimeBodyPart part = new MimeBodyPart();
        String type = "text/plain; charset=" + charset;
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, type)));
        part.setHeader("Content-Type", type);
        boolean ascii = true;
        for (byte b : bytes) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        part.setHeader("Content-Transfer-Encoding", jis || ascii ? "7bit" : "base64");
        return part;
    }

    private static MimeBodyPart attachmentPart(Attachment a, String tenantId, ContentStore content)
            throws MessagingException {
        if (content.find(tenantId, a.ref()).isEmpty()) {
            throw new PermanentDeliveryException("attachment-unavailable",
                    "an attachment of the reply is not in the content store");
        }
        MimeBodyPart part = new MimeBodyPart();
        String type = a.mediaType().isBlank() ? "application/octet-stream" : a.mediaType();
        part.setDataHandler(new DataHandler(new StoredContentSource(content, tenantId, a.ref(), type, a.name())));
        part.setHeader("Content-Type", type);
        part.setDisposition(MimeBodyPart.ATTACHMENT);
        if (!a.name().isBlank()) {
            part.setFileName(a.name());
        }
        part.setHeader("Content-Transfer-Encoding", "base64");
        return part;
    }

    /** A multipart written out, for the data handler of the message. */
    private record MultipartSource(MimeMultipart multipart) implements DataSource {

        @Override
        public InputStream getInputStream() throws IOException {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try {
                multipart.writeTo(out);
            } catch (MessagingException e) {
                throw new IOException("the reply could not be written: " + e.getClass().getSimpleName(), e);
            }
            return new java.io.ByteArrayInputStream(out.toByteArray());
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            throw new IOException("read only");
        }

        @Override
        public String getContentType() {
            return multipart.getContentType();
        }

        @Override
        public String getName() {
            return "";
        }
    }

    /** Content from the hub's store, opened again each time the message is written. */
    private record StoredContentSource(ContentStore content, String tenantId, String ref, String type, String name)
            implements DataSource {

        @Override
        public InputStream getInputStream() throws IOException {
            return content.open(tenantId, ref).orElseThrow(() -> new IOException("content no longer stored"));
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            throw new IOException("read only");
        }

        @Override
        public String getContentType() {
            return type;
        }

        @Override
        public String getName() {
            return name;
        }
    }
}
