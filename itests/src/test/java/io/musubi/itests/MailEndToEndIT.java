package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * Issue #12, e-mail end to end on the distribution: {@code feature:install musubi-connector-mail} and an instance
 * configured by an {@code etc/} file; a customer's mail in a real IMAP mailbox (GreenMail) becomes an EMAIL interaction
 * offered to an agent (seen on the agent's SSE stream); the agent accepts and replies over REST; the reply reaches
 * the real SMTP server with the threading headers; the customer's answer joins the same interaction.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class MailEndToEndIT extends MusubiTestSupport {

    static final String ID = "mail-e2e";
    static final String MAILBOX = "support@e2e.musubi.example";
    static final String IMAP_PASSWORD = "e2e-imap-Pa55word-1f2e3d";
    static final String SMTP_PASSWORD = "e2e-smtp-Pa55word-4c5b6a";

    private static MailTestServer servers;

    @Inject
    private FeaturesService features;

    @Before
    public void setUpMail() throws Exception {
        synchronized (MailEndToEndIT.class) {
            if (servers == null) {
                MailTestServers.installGreenMail(bundleContext);
                MailTestServers.installFeature(features);
                servers = new MailTestServer(MAILBOX, IMAP_PASSWORD, "relay-e2e", SMTP_PASSWORD);
                MailTestServers.configure("e2e", ID, "mail-e2e-support", servers.imapPort, MAILBOX,
                        MailTestServers.ownerOnly("mail-e2e-imap.password", IMAP_PASSWORD), servers.smtpPort,
                        "relay-e2e", MailTestServers.ownerOnly("mail-e2e-smtp.password", SMTP_PASSWORD), MAILBOX);
            }
        }
    }

    @Test
    public void aMailIsOfferedAnsweredOverRestAndTheReplyReachesTheSmtpServerThreaded() throws Exception {
        ApiClient admin = adminClient();
        admin.expect(201, "PUT", "/queues/mail-e2e-support", "{\"name\":\"Mail support\",\"channels\":[\"EMAIL\"]}");
        admin.expect(201, "PUT", "/agents/mail-e2e-hana", """
                {"name":"Hana","capacities":{"EMAIL":5}}""");
        admin.expect(200, "PUT", "/queues/mail-e2e-support", """
                {"name":"Mail support","channels":["EMAIL"],"members":["mail-e2e-hana"]}""");
        ApiClient hana = admin.as(newKey(admin, "agent", "mail-e2e-hana"));
        awaitApi("the mail connector listed and UP", () -> "UP".equals(connector(admin).path("health")
                .path("status").asText()));

        // Every agent serves the default queue (no member list): what other suites left there would be offered first.
        endWhatWaitsInTheDefaultQueue(admin);
        try (ApiClient.Events stream = hana.events("?agentId=mail-e2e-hana", null)) {
            hana.expect(200, "PUT", "/agents/mail-e2e-hana/presence", "{\"state\":\"AVAILABLE\"}");
            servers.deliver("""
                    From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@Customer.example.jp>
                    To: support@e2e.musubi.example
                    Subject: =?UTF-8?B?5rOo5paH44Gr44Gk44GE44Gm?=
                    Date: Tue, 4 Mar 2025 09:15:02 +0900
                    Message-ID: <first.e2e@customer.example.jp>
                    MIME-Version: 1.0
                    Content-Type: text/plain; charset=UTF-8
                    Content-Transfer-Encoding: 8bit

                    注文番号 12345 の納期を教えてください。
                    """);
            // Other tests of this container may leave contacts of other channels waiting for hana: wait for the mail's.
            ApiClient.Events.Event offer = stream.await("offer of the mail", Duration.ofSeconds(90),
                    e -> e.type().equals("offered") && "EMAIL".equals(e.data().path("channel").asText()));
            String id = offer.data().path("interactionId").asText();
            assertEquals("CONNECTED", hana.expect(200, "POST", "/interactions/" + id + "/accept", "{}")
                    .path("state").asText());

            JsonNode interaction = hana.expect(200, "GET", "/interactions/" + id, null);
            assertEquals("EMAIL", interaction.path("channel").asText());
            assertEquals("mailto:yamada@customer.example.jp", interaction.path("from").asText());
            assertEquals("注文について", interaction.path("attributes").path("mail.subject").asText());
            assertEquals("first.e2e@customer.example.jp", interaction.path("threadKey").asText());
            assertTrue(texts(hana, id).contains("注文番号 12345 の納期を教えてください。"));
            awaitApi("the mail marked seen", () -> unseen() == 0);

            hana.expect(201, "POST", "/interactions/" + id + "/messages",
                    "{\"text\":\"山田様\\n納期は3月20日です。\"}", "Idempotency-Key", "mail-e2e-reply-1");
            await("the reply at the SMTP server", Duration.ofSeconds(90), () -> servers.sent().size() == 1);
            MimeMessage reply = servers.sent().get(0);
            assertEquals("<first.e2e@customer.example.jp>", reply.getHeader("In-Reply-To", null));
            assertEquals("<first.e2e@customer.example.jp>", reply.getHeader("References", null));
            assertEquals("Re: 注文について", reply.getSubject());
            assertEquals("yamada@customer.example.jp", ((InternetAddress) reply.getAllRecipients()[0]).getAddress());
            assertEquals(MAILBOX, ((InternetAddress) reply.getFrom()[0]).getAddress());
            assertEquals("山田様\r\n納期は3月20日です。", MailTestServer.text(reply).strip());
            String ourId = reply.getMessageID();
            assertTrue(ourId, ourId.startsWith("<musubi.o-") && ourId.endsWith("@e2e.musubi.example>"));
            awaitApi("the reply recorded as sent", () -> events(hana, id).stream().anyMatch(
                    e -> e.path("type").asText().equals("message_status")
                            && e.path("attributes").path("status").asText().equals("sent")
                            && e.path("attributes").path("providerMessageId").asText().equals(ourId)));

            // The customer answers our reply (a mailer that names only In-Reply-To): the same interaction.
            servers.deliver("From: yamada@customer.example.jp\nTo: support@e2e.musubi.example\n"
                    + "Subject: Re: =?UTF-8?B?5rOo5paH44Gr44Gk44GE44Gm?=\nMessage-ID: <second.e2e@customer.example.jp>\n"
                    + "In-Reply-To: " + ourId + "\nContent-Type: text/plain; charset=UTF-8\n"
                    + "Content-Transfer-Encoding: 8bit\n\nありがとうございました。\n");
            awaitApi("the answer on the same interaction", () -> texts(hana, id).contains("ありがとうございました。"));
        }
    }

    @Test
    public void theConnectorShowsItsConfigurationWithoutSecretsAndLogsNone() throws Exception {
        ApiClient admin = adminClient();
        awaitApi("the mail connector listed", () -> connector(admin).has("configuration"));
        JsonNode c = connector(admin);
        assertEquals("mail", c.path("type").asText());
        assertEquals("EMAIL", c.path("channel").asText());
        String configuration = c.path("configuration").toString();
        assertTrue(configuration, c.path("configuration").path("imapPassword").asText().startsWith("****"));
        assertTrue(configuration, c.path("configuration").path("smtpPassword").asText().startsWith("****"));
        assertEquals("relay-e2e", c.path("configuration").path("smtpUser").asText());
        for (String secret : List.of(IMAP_PASSWORD, SMTP_PASSWORD)) {
            assertFalse("no secret in /connectors", configuration.contains(secret));
            assertFalse("no secret in /health", body("/api/v1/health").contains(secret));
            Path logs = Path.of(System.getProperty("karaf.data"), "log");
            try (var files = Files.list(logs)) {
                for (Path log : files.toList()) {
                    assertFalse("no secret in " + log,
                            Files.readString(log, StandardCharsets.ISO_8859_1).contains(secret));
                }
            }
        }
    }

    private long unseen() {
        try {
            return servers.unseen();
        } catch (Exception e) {
            return -1;
        }
    }

    static JsonNode connector(ApiClient admin) {
        try {
            var r = admin.call("GET", "/connectors/" + ID, null);
            return r.statusCode() == 200 ? ApiClient.JSON.readTree(r.body()) : ApiClient.JSON.missingNode();
        } catch (Exception e) {
            return ApiClient.JSON.missingNode();
        }
    }

    private static List<JsonNode> events(ApiClient client, String interactionId) {
        List<JsonNode> out = new ArrayList<>();
        try {
            JsonNode page = client.expect(200, "GET", "/interactions/" + interactionId + "/events", null);
            (page.has("items") ? page.path("items") : page).forEach(out::add);
        } catch (Exception e) {
            // not answering now: none
        }
        return out;
    }

    private static List<String> texts(ApiClient client, String interactionId) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events(client, interactionId)) {
            if (e.has("text")) {
                out.add(e.path("text").asText());
            }
            if (e.path("content").has("text")) {
                out.add(e.path("content").path("text").asText());
            }
        }
        return out;
    }

    private static void awaitApi(String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        Await.until(what, Duration.ofSeconds(90), Duration.ofMillis(250), condition);
    }
}
