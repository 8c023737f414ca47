package io.musubi.connector.mail.internal;

import io.musubi.model.Attachment;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A mail read from the mailbox, ready to map: the parsed mail, where it lies in the mailbox, when the server received
 * it, the attachments already stored by reference, and notes for the agent about what could not be kept.
 *
 * @param mail        the parsed mail
 * @param uidValidity the folder's UIDVALIDITY
 * @param uid         the mail's UID in the folder
 * @param receivedAt  the server's INTERNALDATE (the time the event happened; the sender's Date header can lie)
 * @param stored      attachments stored in the content store, in order
 * @param notes       short notes appended to the text (attachments over the limit, unreadable parts)
 */
record InboundMail(ParsedMail mail, long uidValidity, long uid, Instant receivedAt, List<Attachment> stored,
                   List<String> notes) {

    InboundMail {
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(receivedAt, "receivedAt");
        stored = List.copyOf(stored);
        notes = List.copyOf(notes);
    }

    @Override
    public String toString() {
        return "InboundMail[uidValidity=" + uidValidity + ", uid=" + uid + ", " + stored.size() + " attachments]";
    }
}
