package io.musubi.connector.mail.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One mailbox, as a factory configuration {@code etc/io.musubi.connector.mail-<name>.cfg}; every attribute is
 * documented in docs/connectors/mail.md. Passwords are never in the configuration: it names an owner-only file
 * (relative paths under {@code karaf.etc}) or an environment variable holding each.
 */
@ObjectClassDefinition(name = "Musubi e-mail connector",
        description = "A mailbox read over IMAP (IDLE or polling), replies sent over SMTP")
public @interface MailConnectorConfiguration {

    @AttributeDefinition(description = "Instance id, unique in the hub: [A-Za-z0-9._-]+")
    String id() default "mail";

    @AttributeDefinition(description = "Tenant the mailbox's conversations belong to")
    String tenantId() default "default";

    @AttributeDefinition(description = "Local queue of new interactions; empty: the tenant's default queue")
    String queue() default "";

    @AttributeDefinition(description = "The mailbox's addresses (comma-separated); the first is the From of replies "
            + "to mail that came to none of them")
    String[] addresses();

    @AttributeDefinition(description = "Display name of the From of replies; may be empty")
    String fromName() default "";

    @AttributeDefinition(description = "Subject of a reply to a mail without one")
    String defaultSubject() default "Your inquiry";

    @AttributeDefinition(description = "Right-hand side of the Message-IDs of replies; empty: the domain of the first "
            + "address")
    String messageIdDomain() default "";

    // ------------------------------------------------------------------ IMAP

    @AttributeDefinition(description = "IMAP server host")
    String imapHost();

    @AttributeDefinition(description = "IMAP server port (993 for tls, 143 for starttls or none)",
            type = AttributeType.INTEGER)
    int imapPort() default 993;

    @AttributeDefinition(description = "IMAP transport security: tls (IMAPS), starttls (required) or none (tests only)")
    String imapSecurity() default "tls";

    @AttributeDefinition(description = "IMAP user name")
    String imapUser();

    @AttributeDefinition(description = "File holding the IMAP password (owner-only; relative to karaf.etc)")
    String imapPasswordFile() default "";

    @AttributeDefinition(description = "Environment variable holding the IMAP password (instead of the file)")
    String imapPasswordEnv() default "";

    @AttributeDefinition(description = "Folder read for new mail")
    String folder() default "INBOX";

    @AttributeDefinition(description = "Folder a mail is moved to once it is in the hub; empty: it stays, marked seen")
    String moveToFolder() default "";

    @AttributeDefinition(description = "Use IMAP IDLE to hear of new mail at once where the server has it",
            type = AttributeType.BOOLEAN)
    boolean idle() default true;

    @AttributeDefinition(description = "Seconds between two polls (with IDLE: the longest wait before a poll anyway)",
            type = AttributeType.LONG)
    long pollSeconds() default 60;

    @AttributeDefinition(description = "Most mails taken in one poll", type = AttributeType.INTEGER)
    int maxMailsPerPoll() default 50;

    // ------------------------------------------------------------------ SMTP

    @AttributeDefinition(description = "SMTP server host")
    String smtpHost();

    @AttributeDefinition(description = "SMTP server port (587 for starttls, 465 for tls)", type = AttributeType.INTEGER)
    int smtpPort() default 587;

    @AttributeDefinition(description = "SMTP transport security: starttls (required), tls (SMTPS) or none (tests only)")
    String smtpSecurity() default "starttls";

    @AttributeDefinition(description = "SMTP user name; empty: no authentication")
    String smtpUser() default "";

    @AttributeDefinition(description = "File holding the SMTP password (owner-only; relative to karaf.etc)")
    String smtpPasswordFile() default "";

    @AttributeDefinition(description = "Environment variable holding the SMTP password (instead of the file)")
    String smtpPasswordEnv() default "";

    @AttributeDefinition(description = "Charset of replies: UTF-8, or ISO-2022-JP for recipients whose mail systems "
            + "need it (replies it cannot carry go out in UTF-8)")
    String outboundCharset() default "UTF-8";

    // ------------------------------------------------------------------ limits and retries

    @AttributeDefinition(description = "Largest attachment stored, in bytes (a larger one is noted in the message)",
            type = AttributeType.LONG)
    long maxAttachmentBytes() default 26_214_400L;

    @AttributeDefinition(description = "Largest mail fetched, in bytes (a larger one is recorded from its headers "
            + "with a note; it stays in the mailbox)", type = AttributeType.LONG)
    long maxMailBytes() default 52_428_800L;

    @AttributeDefinition(description = "Connect and read timeout of the IMAP and SMTP servers, in seconds",
            type = AttributeType.INTEGER)
    int timeoutSeconds() default 30;

    @AttributeDefinition(description = "Redeliveries of a reply while the SMTP server fails before it is "
            + "dead-lettered (back-off doubling from 0.2 s to 10 s)", type = AttributeType.INTEGER)
    int maxRedeliveries() default 60;

    @AttributeDefinition(description = "Reads of a mail that keeps failing before it is dead-lettered and marked seen",
            type = AttributeType.INTEGER)
    int maxReadAttempts() default 5;
}
