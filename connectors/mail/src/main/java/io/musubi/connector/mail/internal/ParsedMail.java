package io.musubi.connector.mail.internal;

import jakarta.mail.Part;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One mail as the connector understands it, read by {@link MailParser}: the headers that matter decoded, the text the
 * agent reads, and the parts to store as attachments. Never printed: it is all personal data.
 *
 * @param messageId      the Message-ID without angle brackets; empty when the mail has none
 * @param inReplyTo      the ids of {@code In-Reply-To}
 * @param references     the ids of {@code References}, oldest first
 * @param fromAddress    the sender's address ({@code local@domain}, domain lower-cased); empty when there is none
 * @param fromName       the sender's display name, decoded; may be empty
 * @param replyTo        the first {@code Reply-To} address when it differs from the sender; else empty
 * @param recipients     every {@code To} and {@code Cc} address, lower-cased
 * @param subject        the subject, decoded; may be empty
 * @param date           the {@code Date} header, or null when absent or unreadable
 * @param rawDate        the {@code Date} header as received (part of the event id); may be empty
 * @param autoReply      why the mail is an automatic one (RFC 3834 and the usual vendor headers); empty for a person's
 * @param text           the text for the agent: text/plain preferred, else the HTML converted to text
 * @param textFromHtml   whether {@code text} was converted from HTML
 * @param attachments    the parts to store, in order
 * @param unreadableParts parts that could not be read (broken encoding, unparseable structure) and were left out
 */
record ParsedMail(String messageId, List<String> inReplyTo, List<String> references, String fromAddress,
                  String fromName, String replyTo, List<String> recipients, String subject, Instant date,
                  String rawDate, String autoReply, String text, boolean textFromHtml, List<MailPart> attachments,
                  int unreadableParts) {

    ParsedMail {
        inReplyTo = List.copyOf(inReplyTo);
        references = List.copyOf(references);
        recipients = List.copyOf(recipients);
        attachments = List.copyOf(attachments);
    }

    /**
     * A part to store.
     *
     * @param index     its position among the mail's attachments, from 1
     * @param name      the file name, decoded and made safe; may be empty
     * @param mediaType the media type, lower case, without parameters
     * @param part      the part, read when it is stored
     */
    record MailPart(int index, String name, String mediaType, Part part) {
        MailPart {
            Objects.requireNonNull(part, "part");
        }

        @Override
        public String toString() {
            return "MailPart[" + index + ", " + mediaType + "]";
        }
    }

    @Override
    public String toString() {
        return "ParsedMail[" + attachments.size() + " attachments, " + text.length() + " chars]";
    }
}
