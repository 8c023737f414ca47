package io.musubi.connector.mail.internal;

import io.musubi.api.Health;
import io.musubi.camel.ConnectorRoutes;
import io.musubi.camel.MusubiCamel;
import io.musubi.camel.MusubiRouteBuilder;
import io.musubi.model.Channel;
import io.musubi.spi.Backoff;
import io.musubi.spi.Connector;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.ContentStore;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.SecretSource;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.component.mail.MailEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mailbox, without OSGi: the ingress route reads the IMAP folder with camel-mail ({@link MailInbound}; IDLE or
 * polling by {@link MailPollScheduler}), the egress route sends replies with camel-mail over SMTP
 * ({@link MailSender}). {@link MailConnector} registers it in the hub; tests run it on a plain CamelContext.
 */
final class MailInstance implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(MailInstance.class);

    private final String id;
    private final MailConnectorConfiguration config;
    private final MailServer imap;
    private final MailServer smtp;
    private final MailMapper mapper;
    private final IngressGateway ingress;
    private final ContentStore content;
    private final ConnectorStatus status = new ConnectorStatus();
    private final MailHealth health = new MailHealth(status);
    private final SentRecords sent;
    private final Path tmpDir;

    /**
     * @param etc         where relative password files are
     * @param dataDir     the instance's own directory (sent records, temporary files)
     * @param environment the environment variables
     */
    MailInstance(MailConnectorConfiguration config, IngressGateway ingress, ContentStore content, Path etc,
                 Path dataDir, java.util.function.UnaryOperator<String> environment) {
        this.config = config;
        this.id = config.id();
        MusubiCamel.egressQueue(id); // validates the id
        this.ingress = ingress;
        this.content = content;
        Path data = dataDir;
        int timeout = Math.max(1, config.timeoutSeconds());
        this.imap = new MailServer("imap", config.imapHost(), config.imapPort(), config.imapSecurity(),
                config.imapUser(), MailServer.password("imapPassword", config.imapPasswordFile(),
                config.imapPasswordEnv(), etc, environment), timeout);
        this.smtp = new MailServer("smtp", config.smtpHost(), config.smtpPort(), config.smtpSecurity(),
                config.smtpUser(), MailServer.password("smtpPassword", config.smtpPasswordFile(),
                config.smtpPasswordEnv(), etc, environment), timeout);
        List<String> addresses = addresses(config.addresses());
        String domain = config.messageIdDomain().isBlank() && !addresses.isEmpty()
                ? addresses.get(0).substring(addresses.get(0).lastIndexOf('@') + 1) : config.messageIdDomain().strip();
        this.mapper = new MailMapper(id, config.tenantId(), config.queue(), addresses, config.fromName(),
                config.defaultSubject(), new MessageIds(domain));
        this.sent = new SentRecords(data.resolve("sent"), Duration.ofDays(30));
        sent.prune(Clock.systemUTC().instant());
        this.tmpDir = data.resolve("tmp");
        checkPasswords();
    }

    ConnectorStatus status() {
        return status;
    }

    MailServer imap() {
        return imap;
    }

    private static List<String> addresses(String[] configured) {
        if (configured == null) {
            return List.of();
        }
        return Arrays.stream(configured).flatMap(a -> Arrays.stream(a.split(","))).map(String::strip)
                .filter(a -> !a.isEmpty()).toList();
    }

    /** A password that cannot be read makes the connector DOWN with the reason, before any connection. */
    private boolean checkPasswords() {
        for (MailServer s : List.of(imap, smtp)) {
            if (s.authenticates() && s.password().text().isEmpty()) {
                if (s == imap) {
                    health.imap(Health.Status.DOWN, "IMAP password not available: " + s.password().problem());
                } else {
                    health.smtp(Health.Status.DOWN, "SMTP password not available: " + s.password().problem());
                }
                return false;
            }
        }
        return true;
    }

    RoutesBuilder createRoutes() {
        return new MusubiRouteBuilder() {
            @Override
            protected int maximumRedeliveries() {
                return Math.max(0, config.maxRedeliveries());
            }

            @Override
            protected void onMalformed(Exchange exchange, MalformedInputException cause) {
                status.increment(ConnectorStatus.MALFORMED);
                LOG.warn("Mail connector {}: mail {} dead-lettered and marked seen: {}", id,
                        exchange.getIn().getHeader(MailInbound.UID_HEADER), cause == null ? "" : cause.getMessage());
            }

            @Override
            protected void routes() throws Exception {
                CamelContext context = getContext();
                ClassLoader classLoader = MailInstance.class.getClassLoader();
                Session imapSession = imap.session();
                context.addComponent(imap.protocol(), component(context, imap, imapSession));
                Session smtpSession = smtp.session();
                context.addComponent(smtp.protocol(), component(context, smtp, smtpSession));

                Duration poll = Duration.ofSeconds(Math.max(1, config.pollSeconds()));
                ImapIdler idler = config.idle() ? new ImapIdler(imapSession, imap.protocol(), imap.host(),
                        imap.port(), imap::credentials, config.folder(), id) : null;
                MailPollScheduler scheduler = new MailPollScheduler(id, poll, idler,
                        new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(2)), classLoader);
                MailPollStrategy strategy = new MailPollStrategy(id, health, status, scheduler,
                        config.idle() ? "IMAP connected (IDLE where the server has it, else polling every "
                                + poll.toSeconds() + " s)" : "IMAP connected, polling every " + poll.toSeconds()
                                + " s");
                MailEndpoint in = (MailEndpoint) context.getEndpoint(imap.protocol() + "://" + imap.host() + ":"
                        + imap.port());
                in.setScheduler(scheduler);
                in.configureProperties(new java.util.HashMap<>()); // the endpoint resolves its scheduler here
                in.setPollStrategy(strategy);
                in.setExceptionHandler(strategy);
                in.setDelay(poll.toMillis());
                in.setMaxMessagesPerPoll(Math.max(1, config.maxMailsPerPoll()));
                MailInbound inbound = new MailInbound(id, config.tenantId(), mapper, content, ingress, status,
                        imapSession, tmpDir, Math.max(1, config.maxAttachmentBytes()),
                        Math.max(1, config.maxMailBytes()), config.maxReadAttempts(), Clock.systemUTC());
                // A mail is marked seen when this route completes: never redelivered here (a failure leaves the mail
                // unseen for the next poll), malformed mail to the dead-letter queue by the shared handling.
                from(in).routeId("musubi.mail." + id + ".ingress")
                        .errorHandler(defaultErrorHandler().maximumRedeliveries(0).logExhausted(false)
                                .logStackTrace(false).logRetryAttempted(false))
                        .process(inbound);

                MailEndpoint out = (MailEndpoint) context.getEndpoint(smtp.protocol() + "://" + smtp.host() + ":"
                        + smtp.port());
                MailSender sender = new MailSender(mapper, new MimeComposer(smtpSession, config.outboundCharset()),
                        content, transport(context, out), sent, health);
                ConnectorRoutes.egress(this, MailMapper.TYPE, id, sender, ingress, status, Clock.systemUTC());
            }
        };
    }

    /** A camel-mail component for this instance's context, configured from typed configuration (no URI secrets). */
    private MailComponent component(CamelContext context, MailServer server, Session session) {
        MailConfiguration c = new MailConfiguration(context);
        c.setHost(server.host());
        c.setPort(server.port());
        c.setSession(session);
        c.setAuthenticator(server.authenticator());
        c.setConnectionTimeout(Math.max(1, config.timeoutSeconds()) * 1000);
        c.setFolderName(config.folder());
        c.setUnseen(true);
        c.setPeek(true);
        c.setDelete(false);
        c.setMapMailMessage(false);
        // The folder is opened afresh for each poll: an open folder's message count is only refreshed by a NOOP,
        // which Jakarta Mail skips within a second of the last command (a poll right after IDLE would see nothing).
        c.setCloseFolder(true);
        c.setDisconnect(false);
        if (!config.moveToFolder().isBlank()) {
            c.setMoveTo(config.moveToFolder().strip());
        }
        MailComponent component = new MailComponent(context);
        component.setConfiguration(c);
        return component;
    }

    /** Sends through camel-mail's SMTP producer; the exchange's failure is handed back as it was. */
    private static MailSender.Transport transport(CamelContext context, MailEndpoint smtpEndpoint) {
        ProducerTemplate[] template = new ProducerTemplate[1];
        return mime -> {
            ProducerTemplate t;
            synchronized (template) {
                if (template[0] == null) {
                    template[0] = context.createProducerTemplate();
                }
                t = template[0];
            }
            Exchange done = t.send(smtpEndpoint, e -> e.getIn().setBody(mime));
            Exception failure = done.getException();
            if (failure instanceof MessagingException m) {
                throw m;
            }
            if (failure != null) {
                MessagingException m = MailPollStrategy.find(failure, MessagingException.class);
                throw m != null ? m : new MessagingException(failure.getClass().getSimpleName(), failure);
            }
        };
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return MailMapper.TYPE;
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    public Map<String, Long> counters() {
        return status.counters();
    }

    @Override
    public Health health() {
        return status.health();
    }

    /** The configuration without secrets (where the passwords come from, never what they are). */
    @Override
    public Map<String, String> describeConfiguration() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("tenantId", config.tenantId());
        out.put("queue", config.queue());
        out.put("addresses", String.join(",", mapper.ourAddresses()));
        out.put("messageIdDomain", mapper.ids().domain());
        out.put("imap", imap.protocol() + "://" + imap.host() + ":" + imap.port());
        out.put("imapSecurity", imap.security());
        out.put("imapUser", imap.user());
        out.put("imapPassword", "**** (" + imap.password().source() + ")");
        out.put("folder", config.folder());
        out.put("moveToFolder", config.moveToFolder());
        out.put("idle", Boolean.toString(config.idle()));
        out.put("pollSeconds", Long.toString(config.pollSeconds()));
        out.put("smtp", smtp.protocol() + "://" + smtp.host() + ":" + smtp.port());
        out.put("smtpSecurity", smtp.security());
        out.put("smtpUser", smtp.user());
        out.put("smtpPassword", smtp.authenticates() ? "**** (" + smtp.password().source() + ")" : "none");
        out.put("outboundCharset", config.outboundCharset());
        out.put("maxAttachmentBytes", Long.toString(config.maxAttachmentBytes()));
        out.put("maxMailBytes", Long.toString(config.maxMailBytes()));
        out.put("maxRedeliveries", Integer.toString(config.maxRedeliveries()));
        return out;
    }
}
