package io.musubi.connector.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.api.Health;
import io.musubi.connector.twilio.testing.FakeTwilioApi;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.DeliveryReceipt;
import io.musubi.spi.DeliveryStatus;
import io.musubi.spi.PermanentDeliveryException;
import io.musubi.spi.RetryableDeliveryException;
import io.musubi.spi.SecretSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replies through a local Twilio API that checks every request as Twilio documents it: sent once, never twice, whatever
 * Twilio or the network does in between.
 */
class TwilioSenderTest {

    static final String TOKEN = "0123456789abcdef0123456789abcdef";
    static final String SERVICE = "MG3e6b9d2f5a8c1e4b7d0a3c6f9b2e5d8a";
    static final String CALLBACKS = "https://hub.example.com/webhooks/twilio/twilio.test";

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        volatile Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @TempDir
    Path state;

    private final Map<String, String> env = new ConcurrentHashMap<>(Map.of("TWILIO_TOKEN", TOKEN));
    private final ConnectorStatus status = new ConnectorStatus(Health.Status.UP, "ready");
    private final TestClock clock = new TestClock();
    private final String account = FakeTwilioApi.newAccountSid();
    private FakeTwilioApi twilio;
    private TwilioApi api;

    @BeforeEach
    void start() throws Exception {
        twilio = FakeTwilioApi.start(account, TOKEN);
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        twilio.close();
    }

    private TwilioSender sender(String service, String apiKeySid, SecretSource apiKeySecret) {
        return sender(service, apiKeySid, apiKeySecret, Duration.ofSeconds(20));
    }

    private TwilioSender sender(String service, String apiKeySid, SecretSource apiKeySecret, Duration timeout) {
        SecretSource token = TwilioConnector.secret("authToken", "", "TWILIO_TOKEN", state, env, false);
        api = new TwilioApi(twilio.baseUrl(), account, apiKeySid, token,
                apiKeySecret == null ? TwilioConnector.secret("apiKeySecret", "", "", state, env, true) : apiKeySecret,
                timeout);
        TwilioMapper mapper = new TwilioMapper(new TwilioMapper.Settings("twilio.test", "acme", "", account, service,
                List.of("+14155550100"), CALLBACKS), new MemoryContentStore());
        return new TwilioSender(mapper, api, new OutboundLedger(state.resolve("ledger"), clock), status, clock,
                Duration.ofSeconds(15));
    }

    private TwilioSender sender() {
        return sender("", "", null);
    }

    private static OutboundMessage reply(String id, String text) {
        return new OutboundMessage(id, "acme", "i-42", "twilio.test", Channel.SMS, Address.parse("tel:+819012345678"),
                MessageContent.text(text), Map.of("reply.twilio.from", "+14155550100"), Instant.now());
    }

    @Test
    void aReplyIsCreatedOnceAsTwilioDocumentsItAndARedeliveryIsAnsweredFromTheLedger() {
        TwilioSender sender = sender();
        DeliveryReceipt receipt = sender.deliver(reply("o-1", "ご予約を15時に変更しました。"));
        assertThat(receipt.status()).isEqualTo(DeliveryStatus.QUEUED);
        assertThat(twilio.sent()).hasSize(1);
        FakeTwilioApi.Sent sent = twilio.sent().get(0);
        assertThat(receipt.providerMessageId()).isEqualTo(sent.sid());
        assertThat(sent.to()).isEqualTo("+819012345678");
        assertThat(sent.from()).isEqualTo("+14155550100");
        assertThat(sent.body()).isEqualTo("ご予約を15時に変更しました。");
        assertThat(sent.statusCallback()).isEqualTo(CALLBACKS + "?messageId=o-1&interactionId=i-42");

        // The egress transaction did not commit (a crash): the same message comes again.
        assertThat(sender.deliver(reply("o-1", "ご予約を15時に変更しました。")).providerMessageId()).isEqualTo(sent.sid());
        // ... also to a connector restarted on the same ledger.
        assertThat(sender().deliver(reply("o-1", "ご予約を15時に変更しました。")).providerMessageId()).isEqualTo(sent.sid());
        assertThat(twilio.createRequests()).isEqualTo(1);
        assertThat(twilio.listRequests()).isZero();
        assertThat(status.count(TwilioSender.ALREADY_SENT)).isEqualTo(2);
        assertThat(twilio.violations()).isEmpty();
    }

    @Test
    void aMessagingServiceSendsAndItsAcceptedIsQueued() {
        DeliveryReceipt receipt = sender(SERVICE, "", null).deliver(reply("o-2", "hello"));
        assertThat(receipt.status()).isEqualTo(DeliveryStatus.QUEUED);
        assertThat(receipt.attributes()).containsEntry(TwilioMapper.STATUS, "accepted");
        assertThat(twilio.sent().get(0).messagingServiceSid()).isEqualTo(SERVICE);
        assertThat(twilio.sent().get(0).from()).isEmpty();
        assertThat(twilio.violations()).isEmpty();
    }

    @Test
    void tooManyRequestsIsRetriedAfterTwiliosRetryAfterAndThenSentOnce() {
        TwilioSender sender = sender();
        twilio.failNext(429, 1, 7);
        assertThatThrownBy(() -> sender.deliver(reply("o-3", "hi"))).isInstanceOf(RetryableDeliveryException.class)
                .satisfies(e -> assertThat(((RetryableDeliveryException) e).retryAfter()).isEqualTo(Duration.ofSeconds(7)));
        assertThat(status.status()).isEqualTo(Health.Status.DEGRADED);
        sender.deliver(reply("o-3", "hi"));
        assertThat(twilio.sent()).hasSize(1);
        assertThat(twilio.listRequests()).as("a 429 created nothing: no lookup").isZero();
        assertThat(status.status()).isEqualTo(Health.Status.UP);
    }

    @Test
    void aServerErrorAfterTwilioCreatedTheMessageIsFoundAndNotSentAgain() {
        TwilioSender sender = sender();
        twilio.createThenFail(0);
        assertThatThrownBy(() -> sender.deliver(reply("o-4", "the same text"))).isInstanceOf(RetryableDeliveryException.class);
        DeliveryReceipt receipt = sender.deliver(reply("o-4", "the same text"));
        assertThat(twilio.sent()).hasSize(1);
        assertThat(receipt.providerMessageId()).isEqualTo(twilio.sent().get(0).sid());
        assertThat(twilio.createRequests()).isEqualTo(1);
        assertThat(twilio.listRequests()).isEqualTo(1);
        assertThat(status.count(TwilioSender.RECONCILED)).isEqualTo(1);
    }

    @Test
    void aTimeoutAfterTwilioCreatedTheMessageIsFoundAndNotSentAgain() {
        TwilioSender sender = sender("", "", null, Duration.ofSeconds(2));
        twilio.createThenFail(6000);
        assertThatThrownBy(() -> sender.deliver(reply("o-5", "slow"))).isInstanceOf(RetryableDeliveryException.class);
        assertThat(status.status()).isEqualTo(Health.Status.DEGRADED);
        sender.deliver(reply("o-5", "slow"));
        assertThat(twilio.sent()).hasSize(1);
        assertThat(twilio.createRequests()).isEqualTo(1);
    }

    @Test
    void anUnknownOutcomeThatTwilioDoesNotShowIsSentAgainOnlyOnceTheAttemptHasSettled() {
        TwilioSender sender = sender();
        twilio.failNext(500, 1, 0); // nothing created
        assertThatThrownBy(() -> sender.deliver(reply("o-6", "x"))).isInstanceOf(RetryableDeliveryException.class);
        clock.advance(Duration.ofSeconds(5));
        assertThatThrownBy(() -> sender.deliver(reply("o-6", "x"))).isInstanceOf(RetryableDeliveryException.class)
                .satisfies(e -> assertThat(((RetryableDeliveryException) e).retryAfter()).isEqualTo(Duration.ofSeconds(10)));
        assertThat(twilio.sent()).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        sender.deliver(reply("o-6", "x"));
        assertThat(twilio.sent()).hasSize(1);
        assertThat(twilio.createRequests()).isEqualTo(2);
    }

    @Test
    void theLookupNeverTakesAnotherReplyWithTheSameText() {
        TwilioSender sender = sender();
        sender.deliver(reply("o-7", "thanks"));
        twilio.failNext(500, 1, 0);
        assertThatThrownBy(() -> sender.deliver(reply("o-8", "thanks"))).isInstanceOf(RetryableDeliveryException.class);
        clock.advance(Duration.ofSeconds(20));
        DeliveryReceipt second = sender.deliver(reply("o-8", "thanks"));
        assertThat(twilio.sent()).hasSize(2);
        assertThat(second.providerMessageId()).isEqualTo(twilio.sent().get(1).sid());
    }

    @Test
    void aStatusCallbackThatNamedTheMessageSettlesAnUnknownOutcome() {
        TwilioSender sender = sender();
        twilio.createThenFail(0);
        assertThatThrownBy(() -> sender.deliver(reply("o-9", "y"))).isInstanceOf(RetryableDeliveryException.class);
        String sid = twilio.sent().get(0).sid();
        new OutboundLedger(state.resolve("ledger"), clock).record("o-9", sid, TwilioStatus.SENT);
        DeliveryReceipt receipt = sender.deliver(reply("o-9", "y"));
        assertThat(receipt.providerMessageId()).isEqualTo(sid);
        assertThat(receipt.status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(twilio.listRequests()).isZero();
        assertThat(twilio.createRequests()).isEqualTo(1);
    }

    @Test
    void aRefusalFailsTheMessageWithTwiliosErrorCode() {
        TwilioSender sender = sender();
        twilio.refuseNext(400, 21610);
        assertThatThrownBy(() -> sender.deliver(reply("o-10", "z"))).isInstanceOf(PermanentDeliveryException.class)
                .satisfies(e -> assertThat(((PermanentDeliveryException) e).reason()).isEqualTo("twilio-21610"))
                .hasMessageNotContaining("8190");
        assertThat(new OutboundLedger(state.resolve("ledger"), clock).get("o-10").orElseThrow().attemptedAt())
                .as("Twilio created nothing").isNull();
        assertThat(status.status()).isEqualTo(Health.Status.UP);
    }

    @Test
    void refusedCredentialsKeepTheReplyQueuedAndHealthDownUntilFixed() {
        env.put("TWILIO_TOKEN", "wrong-token");
        TwilioSender sender = sender();
        assertThatThrownBy(() -> sender.deliver(reply("o-11", "w"))).isInstanceOf(RetryableDeliveryException.class);
        assertThat(status.status()).isEqualTo(Health.Status.DOWN);
        assertThat(status.health().detail()).contains("refused the credentials").doesNotContain("wrong-token");
        env.put("TWILIO_TOKEN", TOKEN); // the operator fixes it; the secret is read again
        sender.deliver(reply("o-11", "w"));
        assertThat(twilio.sent()).hasSize(1);
        assertThat(status.status()).isEqualTo(Health.Status.UP);
    }

    @Test
    void anApiKeyAuthenticatesInsteadOfTheAuthToken() {
        String keySid = "SK" + "0".repeat(31) + "1";
        twilio.withApiKey(keySid, "key-secret");
        env.put("KEY_SECRET", "key-secret");
        TwilioSender sender = sender("", keySid,
                TwilioConnector.secret("apiKeySecret", "", "KEY_SECRET", state, env, false));
        sender.deliver(reply("o-12", "v"));
        assertThat(twilio.sent()).hasSize(1);
        assertThat(twilio.violations()).isEmpty();
    }

    @Test
    void anUnreachableApiIsRetriedAndDegradesHealth() {
        TwilioSender sender = sender();
        twilio.close();
        assertThatThrownBy(() -> sender.deliver(reply("o-13", "u"))).isInstanceOf(RetryableDeliveryException.class)
                .hasMessageStartingWith("Twilio API unreachable");
        assertThat(status.status()).isEqualTo(Health.Status.DEGRADED);
    }
}
