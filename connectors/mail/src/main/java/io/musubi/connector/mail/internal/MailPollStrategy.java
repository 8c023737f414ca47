package io.musubi.connector.mail.internal;

import io.musubi.api.Health;
import io.musubi.spi.ConnectorStatus;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderNotFoundException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLException;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches camel-mail's polls of the mailbox: a good poll makes the mailbox UP; a failed one DEGRADED (reconnecting with
 * back-off) or DOWN when the server refused the credentials or the folder does not exist, and tells the
 * {@link MailPollScheduler} to back off. It is also the consumer's exception handler, so that a failure is logged once
 * when the state changes, by kind only (server messages can quote addresses), instead of on every attempt.
 */
final class MailPollStrategy implements PollingConsumerPollStrategy, ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MailPollStrategy.class);

    private final String id;
    private final MailHealth health;
    private final ConnectorStatus status;
    private final MailPollScheduler scheduler;
    private final String upDetail;
    private volatile String lastProblem = "";
    private volatile boolean everUp;

    MailPollStrategy(String id, MailHealth health, ConnectorStatus status, MailPollScheduler scheduler,
                     String upDetail) {
        this.id = id;
        this.health = health;
        this.status = status;
        this.scheduler = scheduler;
        this.upDetail = upDetail;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        scheduler.pollSucceeded();
        if (!lastProblem.isEmpty() || !everUp) {
            if (everUp) {
                status.increment(ConnectorStatus.RECONNECTS);
                LOG.info("Mail connector {}: mailbox reachable again", id);
            }
            lastProblem = "";
        }
        everUp = true;
        health.imap(Health.Status.UP, upDetail);
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        scheduler.pollFailed();
        String problem = describe(cause);
        boolean down = find(cause, SecretUnavailableException.class) != null
                || cause instanceof AuthenticationFailedException || cause instanceof FolderNotFoundException
                || find(cause, UnknownHostException.class) != null;
        health.imap(down ? Health.Status.DOWN : Health.Status.DEGRADED,
                down ? problem : problem + "; reconnecting with back-off");
        if (!problem.equals(lastProblem)) {
            LOG.warn("Mail connector {}: {} ({}); retrying with back-off", id, problem, chain(cause));
            lastProblem = problem;
        }
        return false;
    }

    /** What went wrong, for operators: the kind of failure, never the server's text. */
    static String describe(Throwable cause) {
        SecretUnavailableException secret = find(cause, SecretUnavailableException.class);
        if (secret != null) {
            return secret.getMessage();
        }
        if (cause instanceof AuthenticationFailedException) {
            return "IMAP authentication failed";
        }
        if (cause instanceof FolderNotFoundException) {
            return "IMAP folder not found";
        }
        if (find(cause, UnknownHostException.class) != null) {
            return "IMAP host unknown";
        }
        if (find(cause, SSLException.class) != null) {
            return "IMAP TLS handshake failed";
        }
        if (find(cause, ConnectException.class) != null) {
            return "IMAP server unreachable";
        }
        if (find(cause, IOException.class) != null) {
            return "IMAP connection lost";
        }
        return "IMAP poll failed: " + cause.getClass().getSimpleName();
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int i = 0; t != null && i < 10; i++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The exception classes of a chain, for the log (no messages: they can carry what the server said). */
    static String chain(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; t != null && i < 5; i++, t = t.getCause()) {
            if (s.length() > 0) {
                s.append(" < ");
            }
            s.append(t.getClass().getSimpleName());
        }
        return s.toString();
    }

    // ExceptionHandler: failures camel-mail reports outside a poll's result (marking a mail seen, a batch error)

    @Override
    public void handleException(Throwable exception) {
        handleException("", null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        // The message of camel-mail names the endpoint or the mail object, the exception may quote the server: only
        // the kinds are logged. A mail that could not be marked seen is read again and dropped as a duplicate.
        LOG.warn("Mail connector {}: {} ({})", id, describe(exception), chain(exception));
    }
}
