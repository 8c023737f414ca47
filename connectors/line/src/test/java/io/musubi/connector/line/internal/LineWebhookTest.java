package io.musubi.connector.line.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.model.InboundEvent;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.SecretSource;
import io.musubi.spi.WebhookRejectedException;
import io.musubi.spi.WebhookRequest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook handler: signature before anything else, the events, and the verification request. */
class LineWebhookTest {

    @TempDir
    Path etc;

    private final ConnectorStatus status = new ConnectorStatus();
    private final List<ContentJob> jobs = new java.util.ArrayList<>();
    private LineWebhook webhook;

    @BeforeEach
    void setUp() throws Exception {
        Path secret = etc.resolve("line.secret");
        Files.writeString(secret, Fixtures.SECRET + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        LineMapper mapper = new LineMapper("line.main", "acme", "", new MemoryContentStore(), Duration.ofSeconds(60));
        webhook = new LineWebhook(LineConnector.secret("channelSecret", "line.secret", "", etc, Map.of()), mapper,
                jobs::addAll, status, 1 << 20);
    }

    private static WebhookRequest request(byte[] body, String signature) {
        return new WebhookRequest("POST", "/webhooks/line/line.main", "",
                signature == null ? Map.of("Content-Type", List.of("application/json"))
                        : Map.of("Content-Type", List.of("application/json"), "x-line-signature", List.of(signature)),
                body);
    }

    @Test
    void aSignedBodyIsAuthenticatedAndMapped() {
        byte[] body = Fixtures.body("multi-event.json");
        WebhookRequest r = request(body, Fixtures.signature("multi-event.json"));
        webhook.authenticate(r);
        List<InboundEvent> events = webhook.toEvents(r);
        assertThat(events).hasSize(4);
    }

    @Test
    void missingForgedTruncatedAndUndecodableSignaturesAreRefused() {
        byte[] body = Fixtures.body("message-text.json");
        String good = Fixtures.signature("message-text.json");
        assertThatThrownBy(() -> webhook.authenticate(request(body, null)))
                .isInstanceOf(WebhookRejectedException.class)
                .satisfies(e -> assertThat(((WebhookRejectedException) e).httpStatus()).isEqualTo(401));
        assertThatThrownBy(() -> webhook.authenticate(request(body, "")))
                .satisfies(e -> assertThat(((WebhookRejectedException) e).httpStatus()).isEqualTo(401));
        String forged = (good.charAt(0) == 'A' ? "B" : "A") + good.substring(1);
        for (String bad : List.of(good.substring(0, 20), good.substring(0, 41), forged,
                Fixtures.signature("follow.json"), "not base64 at all")) {
            assertThatThrownBy(() -> webhook.authenticate(request(body, bad)))
                    .isInstanceOf(WebhookRejectedException.class)
                    .satisfies(e -> assertThat(((WebhookRejectedException) e).httpStatus()).isEqualTo(403))
                    .message().doesNotContain(bad);
        }
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("A-1029", "A-1030")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> webhook.authenticate(request(tampered, good)))
                .satisfies(e -> assertThat(((WebhookRejectedException) e).httpStatus()).isEqualTo(403));
        assertThat(status.count(ConnectorStatus.REJECTED)).isEqualTo(8);
    }

    @Test
    void mediaAreQueuedForFetchingOnceTheEventsAreAcceptedAndRedeliveriesCounted() {
        byte[] image = Fixtures.body("message-image.json");
        WebhookRequest r = request(image, Fixtures.signature("message-image.json"));
        assertThat(webhook.accepted(r, webhook.toEvents(r)).status()).isEqualTo(200);
        assertThat(jobs).extracting(ContentJob::messageId).containsExactly("289627154754772383");
        byte[] again = Fixtures.body("message-redelivered.json");
        WebhookRequest redelivered = request(again, Fixtures.signature("message-redelivered.json"));
        webhook.accepted(redelivered, webhook.toEvents(redelivered));
        assertThat(status.count(LineWebhook.REDELIVERED)).isEqualTo(1);
        assertThat(status.count(ConnectorStatus.RECEIVED)).isEqualTo(2);
    }

    @Test
    void whenTheContentQueueFailsLineIsAskedToDeliverAgain() {
        LineWebhook failing = new LineWebhook(LineConnector.secret("channelSecret", "line.secret", "", etc, Map.of()),
                new LineMapper("line.main", "acme", "", new MemoryContentStore(), Duration.ofSeconds(60)),
                j -> {
                    throw new IllegalStateException("broker away");
                }, status, 1 << 20);
        byte[] image = Fixtures.body("message-image.json");
        WebhookRequest r = request(image, Fixtures.signature("message-image.json"));
        assertThat(failing.accepted(r, failing.toEvents(r)).status()).isEqualTo(503);
    }

    @Test
    void theConsolesVerificationRequestCarriesNoEvents() {
        byte[] body = Fixtures.body("empty-events-verification.json");
        WebhookRequest r = request(body, Fixtures.signature("empty-events-verification.json"));
        webhook.authenticate(r);
        assertThat(webhook.toEvents(r)).isEmpty();
        assertThat(webhook.accepted(r, List.of()).status()).isEqualTo(200);
    }

    @Test
    void aSignedBodyThatIsNotJsonIsMalformedAndCountedWithoutQuotingIt() {
        byte[] body = "{\"destination\":\"secret-ish text\", oops".getBytes(StandardCharsets.UTF_8);
        byte[] key = Fixtures.utf8(Fixtures.SECRET);
        WebhookRequest r = request(body, LineSignature.sign(key, body));
        webhook.authenticate(r);
        assertThatThrownBy(() -> webhook.toEvents(r)).isInstanceOf(MalformedInputException.class)
                .message().doesNotContain("secret-ish");
        byte[] empty = new byte[0];
        WebhookRequest e = request(empty, LineSignature.sign(key, empty));
        webhook.authenticate(e);
        assertThatThrownBy(() -> webhook.toEvents(e)).isInstanceOf(MalformedInputException.class);
        assertThat(status.count(ConnectorStatus.MALFORMED)).isEqualTo(2);
    }

    @Test
    void withoutAReadableOwnerOnlySecretEverythingIsRefusedAndHealthSaysWhy() throws Exception {
        Path open = etc.resolve("open.secret");
        Files.writeString(open, Fixtures.SECRET);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        LineWebhook careless = new LineWebhook(LineConnector.secret("channelSecret", "open.secret", "", etc, Map.of()),
                new LineMapper("line.main", "acme", "", new MemoryContentStore(), Duration.ofSeconds(60)), jobs::addAll,
                status, 1 << 20);
        byte[] body = Fixtures.body("follow.json");
        assertThatThrownBy(() -> careless.authenticate(request(body, Fixtures.signature("follow.json"))))
                .satisfies(e -> assertThat(((WebhookRejectedException) e).httpStatus()).isEqualTo(403));
        assertThat(status.health().detail()).contains("owner only").doesNotContain(Fixtures.SECRET);
    }

    @Test
    void secretsComeFromTheEnvironmentWhenSoConfiguredAndNeverShow() {
        SecretSource s = LineConnector.secret("channelSecret", "", "LINE_SECRET", etc,
                Map.of("LINE_SECRET", " abc \n"));
        assertThat(s.text()).contains("abc");
        assertThat(s.toString()).doesNotContain("abc");
        assertThat(LineConnector.secret("channelSecret", "", "UNSET", etc, Map.of()).problem()).isEmpty();
        SecretSource unset = LineConnector.secret("channelSecret", "", "UNSET", etc, Map.of());
        assertThat(unset.bytes()).isEmpty();
        assertThat(unset.problem()).contains("UNSET is not set");
        assertThat(LineConnector.secret("channelSecret", "", "", etc, Map.of()).bytes()).isEmpty();
        assertThat(LineConnector.secret("channelSecret", "", "", etc, Map.of()).problem()).contains("exactly one");
    }
}
