package io.musubi.connector.mail.internal;

import io.musubi.api.Health;
import io.musubi.spi.ConnectorStatus;

/**
 * The connector's health from its two links, the worse of the two: the mailbox (IMAP: connected, reconnecting with
 * back-off, credentials refused) and the outgoing server (SMTP: fine, unreachable, credentials refused, as the last
 * delivery found it). Reasons name the link and the kind of failure, never a server's words (they can quote addresses)
 * or a secret.
 */
final class MailHealth {

    private final ConnectorStatus status;
    private Health.Status imap = Health.Status.DOWN;
    private String imapDetail = "IMAP connecting";
    private Health.Status smtp = Health.Status.UP;
    private String smtpDetail = "";

    MailHealth(ConnectorStatus status) {
        this.status = status;
        publish();
    }

    synchronized void imap(Health.Status s, String detail) {
        imap = s;
        imapDetail = detail;
        publish();
    }

    synchronized void smtp(Health.Status s, String detail) {
        smtp = s;
        smtpDetail = detail;
        publish();
    }

    synchronized Health.Status imapStatus() {
        return imap;
    }

    private void publish() {
        Health.Status worst = imap.worst(smtp);
        String detail = smtp == Health.Status.UP || smtpDetail.isEmpty() ? imapDetail
                : imap == Health.Status.UP ? smtpDetail : imapDetail + "; " + smtpDetail;
        switch (worst) {
            case UP -> status.up(detail);
            case DEGRADED -> status.degraded(detail);
            default -> status.down(detail);
        }
    }
}
