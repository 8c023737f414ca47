package io.musubi.connector.mail.internal;

import io.musubi.api.Health;
import io.musubi.model.OutboundMessage;
import io.musubi.spi.ContentStore;
import io.musubi.spi.DeliveryReceipt;
import io.musubi.spi.DeliveryStatus;
import io.musubi.spi.OutboundSender;
import io.musubi.spi.PermanentDeliveryException;
import io.musubi.spi.RetryableDeliveryException;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a reply over SMTP: mapped ({@link MailMapper#toExternal}), written ({@link MimeComposer}), handed to the
 * SMTP server ({@link Transport}), then recorded ({@link SentRecords}) so a redelivery after a crash is not sent
 * twice. The server's answer decides what happens next:
 * <ul>
 *   <li>accepted: SENT, with our Message-ID as the provider's id;</li>
 *   <li>a 5xx reply (unknown recipient, refused content): FAILED with the reason {@code smtp-<code>}, not retried;</li>
 *   <li>a 4xx reply, no connection, a timeout: retried with back-off (the reply waits in the egress queue), the
 *       connector DEGRADED until a reply goes out;</li>
 *   <li>credentials refused: retried, the connector DOWN ("SMTP authentication failed") until they work.</li>
 * </ul>
 */
final class MailSender implements OutboundSender {

    private static final Logger LOG = LoggerFactory.getLogger(MailSender.class);

    /** Hands a MIME message to the SMTP server (camel-mail's producer in the hub, a direct transport in tests). */
    @FunctionalInterface
    interface Transport {
        void send(MimeMessage message) throws MessagingException;
    }

    private final MailMapper mapper;
    private final MimeComposer composer;
    private final ContentStore content;
    private final Transport transport;
    private final SentRecords sent;
    private final MailHealth health;
    private final ClassLoader classLoader;

    MailSender(MailMapper mapper, MimeComposer composer, ContentStore content, Transport transport, SentRecords sent,
               MailHealth health) {
        this.mapper = mapper;
        this.composer = composer;
        this.content = content;
        this.transport = transport;
        this.sent = sent;
        this.health = health;
        this.classLoader = MailSender.class.getClassLoader();
    }

    @Override
    public DeliveryReceipt deliver(OutboundMessage message) {
        Optional<String> already = sent.find(message.id());
        if (already.isPresent()) {
            LOG.info("Reply {} of interaction {} was sent before (Message-ID kept); not sending it again",
                    message.id(), message.interactionId());
            return new DeliveryReceipt(DeliveryStatus.SENT, "<" + already.get() + ">", Map.of("mail.resent", "no"));
        }
        OutgoingMail mail = mapper.toExternal(message);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(classLoader);
        try {
            MimeMessage mime = composer.compose(mail, message.tenantId(), content);
            transport.send(mime);
        } catch (MessagingException e) {
            throw classify(e);
        } catch (RuntimeException e) {
            MessagingException m = MailPollStrategy.find(e, MessagingException.class);
            if (m != null && !(e instanceof PermanentDeliveryException)) {
                throw classify(m);
            }
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
        sent.record(message.id(), mail.messageId());
        health.smtp(Health.Status.UP, "");
        return DeliveryReceipt.sent("<" + mail.messageId() + ">");
    }

    /** The outcome of a failed send (see the class comment); never the server's text, which can quote addresses. */
    RuntimeException classify(MessagingException e) {
        int code = replyCode(e);
        SecretUnavailableException secret = MailPollStrategy.find(e, SecretUnavailableException.class);
        if (secret != null) {
            health.smtp(Health.Status.DOWN, secret.getMessage());
            return new RetryableDeliveryException(secret.getMessage(), null, null);
        }
        if (MailPollStrategy.find(e, AuthenticationFailedException.class) != null || code == 535 || code == 534
                || code == 530) {
            health.smtp(Health.Status.DOWN, "SMTP authentication failed");
            return new RetryableDeliveryException("SMTP authentication failed", null, null);
        }
        if (code >= 500 && code < 600) {
            return new PermanentDeliveryException("smtp-" + code, "the SMTP server refused the reply with " + code);
        }
        if (code >= 400 && code < 500) {
            health.smtp(Health.Status.DEGRADED, "SMTP server answered " + code + "; retrying");
            return new RetryableDeliveryException("the SMTP server answered " + code, null, null);
        }
        String problem = MailPollStrategy.find(e, IOException.class) != null
                ? "SMTP server unreachable" : "SMTP send failed: " + e.getClass().getSimpleName();
        health.smtp(Health.Status.DEGRADED, problem + "; retrying");
        return new RetryableDeliveryException(problem + " (" + MailPollStrategy.chain(e) + ")", null, null);
    }

    /** The SMTP reply code in a failure chain (also inside SendFailedException's next exceptions), or 0. */
    static int replyCode(Exception e) {
        Exception x = e;
        for (int i = 0; x != null && i < 10; i++) {
            if (x instanceof SMTPAddressFailedException a) {
                return a.getReturnCode();
            }
            if (x instanceof SMTPSenderFailedException s) {
                return s.getReturnCode();
            }
            if (x instanceof SMTPSendFailedException s) {
                return s.getReturnCode();
            }
            if (x instanceof MessagingException m && m.getNextException() != null) {
                x = m.getNextException();
            } else if (x.getCause() instanceof Exception c) {
                x = c;
            } else {
                x = null;
            }
        }
        return e instanceof SendFailedException ? 550 : 0;
    }
}
