package io.musubi.connector.mail.internal;

import io.musubi.model.Attachment;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A reply as it goes out over SMTP, before it becomes a MIME message ({@link MimeComposer}).
 *
 * @param fromAddress our address it is sent from
 * @param fromName    the display name of that address; may be empty
 * @param to          the customer's address
 * @param subject     the subject ({@code Re: ...})
 * @param messageId   our Message-ID, without angle brackets ({@link MessageIds#ours})
 * @param inReplyTo   the Message-ID of the mail answered, or empty
 * @param references  the thread's ids, oldest first, ending with {@code inReplyTo}
 * @param text        the text
 * @param attachments attachments by reference in the hub's content store
 * @param date        the Date header: when the hub accepted the reply (the same on every redelivery)
 */
record OutgoingMail(String fromAddress, String fromName, String to, String subject, String messageId,
                    String inReplyTo, List<String> references, String text, List<Attachment> attachments,
                    Instant date) {

    OutgoingMail {
        Objects.requireNonNull(fromAddress, "fromAddress");
        Objects.requireNonNull(to, "to");
        references = List.copyOf(references);
        attachments = List.copyOf(attachments);
        Objects.requireNonNull(date, "date");
    }

    @Override
    public String toString() {
        return "OutgoingMail[messageId=" + messageId + ", " + attachments.size() + " attachments]";
    }
}
