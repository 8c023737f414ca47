package io.musubi.connector.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.api.Health;
import io.musubi.connector.twilio.testing.FakeTwilioApi;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.RetryableDeliveryException;
import io.musubi.spi.SecretSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MMS media from the local Twilio API: credentials to the API only, never to the storage host it redirects to. */
class MediaFetcherTest {

    static final String TOKEN = "00112233445566778899aabbccddeeff";

    @TempDir
    Path state;

    private final MemoryContentStore store = new MemoryContentStore();
    private final List<InboundEvent> notes = new CopyOnWriteArrayList<>();
    private final ConnectorStatus status = new ConnectorStatus(Health.Status.UP, "ready");
    private FakeTwilioApi twilio;
    private TwilioApi api;

    @BeforeEach
    void start() throws Exception {
        twilio = FakeTwilioApi.start(FakeTwilioApi.newAccountSid(), TOKEN);
        api = new TwilioApi(twilio.baseUrl(), twilio.accountSid(), "",
                TwilioConnector.secret("authToken", "", "T", state, Map.of("T", TOKEN), false),
                TwilioConnector.secret("apiKeySecret", "", "", state, Map.of(), true), Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        api.close();
        twilio.close();
    }

    private MediaFetcher fetcher(long maxBytes) {
        return new MediaFetcher("twilio.test", api, store, events -> notes.addAll(events), status, maxBytes,
                Clock.systemUTC());
    }

    private static MediaJob job(String url) {
        return new MediaJob("acme", "twilio.test/media/MM1/0", url, "image/jpeg", "ME1", "MM1", "tel:+819012345678",
                "twilio.test/+819012345678");
    }

    @Test
    void mediaIsStoredUnderItsReferenceAndNotFetchedTwice() throws Exception {
        byte[] jpeg = "not really a jpeg".getBytes(StandardCharsets.UTF_8);
        String url = twilio.addMedia("MM1", jpeg, "image/jpeg");
        fetcher(1024).fetch(job(url));
        var stored = store.find("acme", "content:twilio.test/media/MM1/0").orElseThrow();
        assertThat(stored.mediaType()).isEqualTo("image/jpeg");
        assertThat(stored.size()).isEqualTo(jpeg.length);
        try (InputStream in = store.open("acme", stored.ref()).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(jpeg);
        }
        fetcher(1024).fetch(job(url));
        assertThat(twilio.mediaRequests()).isEqualTo(1);
        assertThat(twilio.violations()).as("no credentials to the storage host").isEmpty();
        assertThat(status.count(MediaFetcher.STORED)).isEqualTo(1);
    }

    @Test
    void tooLargeGoneAndForeignMediaAreRecordedAsUnavailableOnTheConversation() {
        String big = twilio.addMedia("MM1", new byte[2048], "image/png");
        fetcher(1024).fetch(job(big));
        fetcher(1024).fetch(job(twilio.baseUrl() + "/2010-04-01/Accounts/" + twilio.accountSid()
                + "/Messages/MM1/Media/MEgone"));
        fetcher(1024).fetch(job("https://attacker.example/steal"));
        assertThat(notes).hasSize(3).allSatisfy(n -> {
            assertThat(n.type()).isEqualTo(InteractionEventType.NOTE);
            assertThat(n.attributes()).containsEntry(ConnectorAttributes.JOIN_ONLY, "true");
            assertThat(n.threadKey()).isEqualTo("twilio.test/+819012345678");
        });
        assertThat(notes).extracting(n -> n.attributes().get("twilio.media.unavailable"))
                .containsExactly("too-large", "http-404", "not-on-api-origin");
        assertThat(store.items).isEmpty();
        assertThat(twilio.violations()).isEmpty();
    }

    @Test
    void refusedCredentialsAreRetriedLaterWithHealthDown() throws Exception {
        TwilioApi wrong = new TwilioApi(twilio.baseUrl(), twilio.accountSid(), "",
                TwilioConnector.secret("authToken", "", "T", state, Map.of("T", "wrong"), false),
                TwilioConnector.secret("apiKeySecret", "", "", state, Map.of(), true), Duration.ofSeconds(20));
        try {
            MediaFetcher f = new MediaFetcher("twilio.test", wrong, store, notes::addAll, status, 1024,
                    Clock.systemUTC());
            assertThatThrownBy(() -> f.fetch(job(twilio.addMedia("MM1", new byte[1], "image/gif"))))
                    .isInstanceOf(RetryableDeliveryException.class);
            assertThat(status.status()).isEqualTo(Health.Status.DOWN);
            assertThat(notes).isEmpty();
        } finally {
            wrong.close();
        }
    }
}
