package io.musubi.connector.mail.internal;

import io.musubi.spi.SecretSource;

import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.apache.camel.component.mail.MailAuthenticator;

/**
 * One server the connector talks to (the IMAP server of the mailbox, the SMTP server of replies), from typed
 * configuration: host, port, transport security and credentials. It builds the Jakarta Mail session (timeouts, TLS
 * with the server's name checked, STARTTLS required when asked for) and the authenticator that reads the password
 * at each connection.
 *
 * @param kind     {@code imap} or {@code smtp}
 * @param security {@code tls}, {@code starttls} or {@code none}
 * @param user     the user name; empty for a server without authentication (SMTP relays)
 */
record MailServer(String kind, String host, int port, String security, String user, SecretSource password,
                  int timeoutSeconds) {

    MailServer {
        if (host == null || !host.matches("[A-Za-z0-9.:\\[\\]-]{1,253}")) {
            throw new IllegalArgumentException(kind + "Host must be a host name or address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(kind + "Port must be 1-65535");
        }
        security = security == null ? "" : security.strip().toLowerCase(Locale.ROOT);
        if (!security.equals("tls") && !security.equals("starttls") && !security.equals("none")) {
            throw new IllegalArgumentException(kind + "Security must be tls, starttls or none");
        }
        user = user == null ? "" : user.strip();
    }

    /** The Jakarta Mail protocol: {@code imaps}/{@code smtps} for TLS from the first byte, else the plain one. */
    String protocol() {
        return security.equals("tls") ? kind + "s" : kind;
    }

    boolean authenticates() {
        return !user.isEmpty();
    }

    Properties properties() {
        String p = "mail." + protocol() + ".";
        Properties props = new Properties();
        String millis = Integer.toString(Math.max(1, timeoutSeconds) * 1000);
        props.setProperty(p + "connectiontimeout", millis);
        props.setProperty(p + "timeout", millis);
        props.setProperty(p + "writetimeout", millis);
        props.setProperty(p + "host", host);
        props.setProperty(p + "port", Integer.toString(port));
        props.setProperty(p + "auth", Boolean.toString(authenticates()));
        props.setProperty(p + "ssl.checkserveridentity", "true");
        if (security.equals("starttls")) {
            props.setProperty(p + "starttls.enable", "true");
            props.setProperty(p + "starttls.required", "true");
        }
        if (kind.equals("imap")) {
            // Large attachments are fetched in 1 MB pieces (the default 16 KB takes a round trip each).
            props.setProperty(p + "fetchsize", Integer.toString(1024 * 1024));
            props.setProperty(p + "partialfetch", "true");
            props.setProperty(p + "peek", "true");
        }
        props.setProperty("mail.transport.protocol", kind.equals("smtp") ? protocol() : "smtp");
        props.setProperty("mail.store.protocol", kind.equals("imap") ? protocol() : "imap");
        // Headers are read byte for byte (HeaderText decodes them); base64 with stray characters is still read.
        props.setProperty("mail.mime.allowutf8", "false");
        props.setProperty("mail.mime.base64.ignoreerrors", "true");
        props.setProperty("mail.mime.multipart.ignoremissingendboundary", "true");
        props.setProperty("mail.mime.multipart.allowempty", "true");
        return props;
    }

    Session session() {
        return Session.getInstance(properties());
    }

    /**
     * The user and the password as read now.
     *
     * @throws SecretUnavailableException when the password cannot be read (the reason, never the value)
     */
    PasswordAuthentication credentials() {
        if (!authenticates()) {
            return new PasswordAuthentication(null, null);
        }
        String secret = password.text().orElseThrow(() -> new SecretUnavailableException(
                kind.toUpperCase(java.util.Locale.ROOT) + " password not available: " + password.problem()));
        return new PasswordAuthentication(user, secret);
    }

    MailAuthenticator authenticator() {
        Supplier<PasswordAuthentication> c = this::credentials;
        return new MailAuthenticator() {
            @Override
            public PasswordAuthentication getPasswordAuthentication() {
                return c.get();
            }
        };
    }

    @Override
    public String toString() {
        return kind + "[" + protocol() + "://" + host + ":" + port + ", security=" + security + "]";
    }

    /**
     * A password (IMAP, SMTP) from an owner-only file or an environment variable, read again at every connection, so
     * an operator who replaces the file needs no restart.
     */
    static SecretSource password(String name, String file, String env, Path etcDir,
                                 UnaryOperator<String> environment) {
        return SecretSource.of(name, file, env, etcDir, environment).keptFor(Duration.ZERO);
    }
}
