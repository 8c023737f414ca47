package io.musubi.connector.line.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.bot.jackson.ModelObjectMapper;
import com.linecorp.bot.messaging.model.PushMessageRequest;
import com.linecorp.bot.messaging.model.ReplyMessageRequest;
import com.linecorp.bot.messaging.model.TextMessage;

import io.musubi.api.Health;
import io.musubi.connector.line.testing.FakeLineApi;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.DeliveryReceipt;
import io.musubi.spi.PermanentDeliveryException;
import io.musubi.spi.RetryableDeliveryException;
import io.musubi.spi.SecretSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replies against a local LINE API that checks every request as LINE documents it; LINE's own SDK models parse every
 * body as a further, independent check of its shape.
 */
class LineSenderTest {

    private static final String TOKEN = "test-channel-access-token";
    private static final String USER = "U4af4980629b3e2c7d1a5f0e86c9b2d47";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:30Z");

    @TempDir
    Path etc;

    private FakeLineApi line;
    private LineApi api;
    private SecretSource token;
    private LineMapper mapper;
    private final ConnectorStatus status = new ConnectorStatus(Health.Status.UP, "ready");
    private LineSender sender;

    @BeforeEach
    void start() throws Exception {
        line = FakeLineApi.start(TOKEN);
        ObjectMapper sdk = ModelObjectMapper.createNewObjectMapper();
        line.addCheck(r -> {
            try {
                if (r.path().equals("/v2/bot/message/reply")) {
                    ReplyMessageRequest req = sdk.readValue(r.body(), ReplyMessageRequest.class);
                    assertThat(req.messages()).allSatisfy(m -> assertThat(m).isInstanceOf(TextMessage.class));
                } else if (r.path().equals("/v2/bot/message/push")) {
                    PushMessageRequest req = sdk.readValue(r.body(), PushMessageRequest.class);
                    assertThat(req.messages()).allSatisfy(m -> assertThat(m).isInstanceOf(TextMessage.class));
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("LINE's SDK cannot read the body: " + e.getMessage());
            }
        });
        Path file = etc.resolve("line.token");
        Files.writeString(file, TOKEN);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        token = LineConnector.secret("channelAccessToken", "line.token", "", etc, Map.of());
        api = new LineApi(line.baseUrl(), line.baseUrl(), token, Duration.ofSeconds(5));
        mapper = new LineMapper("line.main", "acme", "", new MemoryContentStore(), Duration.ofSeconds(60));
        sender = new LineSender(mapper, api, token, new ReplyTokens(), status, Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        api.close();
        line.close();
        assertThat(line.violations()).as("requests LINE would refuse").isEmpty();
    }

    private static OutboundMessage message(String id, String text, String replyToken, Instant expires) {
        Map<String, String> a = new HashMap<>();
        a.put("reply.line.to", USER);
        if (replyToken != null) {
            a.put("reply.line.replyToken", replyToken);
            a.put("reply.line.replyTokenExpires", expires.toString());
        }
        return new OutboundMessage(id, "acme", "i-1", "line.main", Channel.LINE, Address.of("line", USER),
                MessageContent.text(text), a, NOW);
    }

    @Test
    void aFreshReplyTokenIsUsedOnceThenMessagesArePushed() {
        String replyToken = line.issueReplyToken();
        Instant expires = NOW.plusSeconds(30);
        DeliveryReceipt first = sender.deliver(message("o-1", "はい、承知しました", replyToken, expires));
        assertThat(first.attributes()).containsEntry("line.api", "reply");
        assertThat(first.providerMessageId()).isNotEmpty();

        DeliveryReceipt second = sender.deliver(message("o-2", "追加のご案内です", replyToken, expires));
        assertThat(second.attributes()).containsEntry("line.api", "push");
        assertThat(line.sent()).extracting(FakeLineApi.Sent::api).containsExactly("reply", "push");
        assertThat(line.sent().get(1).retryKey()).isEqualTo(LineMapper.retryKey("o-2"));
        assertThat(line.count("/v2/bot/message/reply")).as("the used token was not tried again").isEqualTo(1);
    }

    @Test
    void anExpiredOrNearlyExpiredTokenGoesByPush() {
        String replyToken = line.issueReplyToken();
        sender.deliver(message("o-3", "late", replyToken, NOW.plusSeconds(5)));
        assertThat(line.count("/v2/bot/message/reply")).isZero();
        assertThat(line.sent()).singleElement().satisfies(s -> assertThat(s.api()).isEqualTo("push"));
    }

    @Test
    void aTokenLineNoLongerTakesFallsBackToPush() {
        DeliveryReceipt r = sender.deliver(message("o-4", "hello", "never-issued", NOW.plusSeconds(40)));
        assertThat(r.attributes()).containsEntry("line.api", "push");
        assertThat(line.count("/v2/bot/message/reply")).isEqualTo(1);
        assertThat(line.sent()).singleElement().satisfies(s -> assertThat(s.api()).isEqualTo("push"));
    }

    @Test
    void aRetriedPushCarriesTheSameKeyAndAnAlreadyAcceptedOneCountsAsSent() {
        OutboundMessage m = message("o-5", "one and only", null, null);
        sender.deliver(m);
        DeliveryReceipt again = sender.deliver(m);
        assertThat(again.attributes()).containsEntry("line.retryKeyAccepted", "true");
        assertThat(line.sent()).hasSize(1);
        assertThat(line.requests()).filteredOn(r -> r.path().equals("/v2/bot/message/push"))
                .extracting(r -> r.header("X-Line-Retry-Key")).containsOnly(LineMapper.retryKey("o-5"));
    }

    @Test
    void rateLimitsAndServerErrorsAreRetriedHonouringRetryAfterAndHealthFollows() {
        line.failNext(429, 1, "7");
        assertThatThrownBy(() -> sender.deliver(message("o-6", "x", null, null)))
                .isInstanceOf(RetryableDeliveryException.class)
                .satisfies(e -> assertThat(((RetryableDeliveryException) e).retryAfter())
                        .isEqualTo(Duration.ofSeconds(7)));
        assertThat(status.status()).isEqualTo(Health.Status.DEGRADED);
        line.failNext(500, 1, null);
        assertThatThrownBy(() -> sender.deliver(message("o-6", "x", null, null)))
                .isInstanceOf(RetryableDeliveryException.class);
        assertThat(sender.deliver(message("o-6", "x", null, null)).attributes()).containsEntry("line.api", "push");
        assertThat(status.status()).isEqualTo(Health.Status.UP);
        assertThat(line.sent()).hasSize(1);
    }

    @Test
    void aReplyWhoseAnswerWasLostIsNotSentAgainByPush() {
        String replyToken = line.issueReplyToken();
        Instant expires = NOW.plusSeconds(30);
        line.failNext(500, 1, null);
        assertThatThrownBy(() -> sender.deliver(message("o-7", "x", replyToken, expires)))
                .isInstanceOf(RetryableDeliveryException.class);
        line.spendReplyToken(replyToken); // LINE had in fact taken that reply; only its answer was lost
        DeliveryReceipt retried = sender.deliver(message("o-7", "x", replyToken, expires));
        assertThat(retried.attributes()).containsEntry("line.api", "reply").containsEntry("line.replyAssumed", "true");
        assertThat(line.count("/v2/bot/message/push")).isZero();

        // Another message of the conversation does not try the token this one may have used.
        assertThat(sender.deliver(message("o-13", "y", replyToken, expires)).attributes())
                .containsEntry("line.api", "push");
        assertThat(line.count("/v2/bot/message/reply")).isEqualTo(2);
    }

    @Test
    void theApiBeingDownIsRetriedWithHealthDegradedThenUp() throws Exception {
        line.stop();
        assertThatThrownBy(() -> sender.deliver(message("o-8", "x", null, null)))
                .isInstanceOf(RetryableDeliveryException.class);
        assertThat(status.health().detail()).startsWith("LINE API unreachable");
        line.restart();
        sender.deliver(message("o-8", "x", null, null));
        assertThat(status.status()).isEqualTo(Health.Status.UP);
    }

    @Test
    void aRefusedTokenIsRetriedLaterWithHealthDownAndOtherClientErrorsFailForGood() {
        line.failNextWith(401, "Authentication failed");
        assertThatThrownBy(() -> sender.deliver(message("o-9", "x", null, null)))
                .isInstanceOf(RetryableDeliveryException.class)
                .satisfies(e -> assertThat(((RetryableDeliveryException) e).retryAfter())
                        .isEqualTo(LineSender.TOKEN_RETRY));
        assertThat(status.status()).isEqualTo(Health.Status.DOWN);
        line.failNextWith(400, "The property, 'to', in the request body is invalid");
        assertThatThrownBy(() -> sender.deliver(message("o-10", "x", null, null)))
                .isInstanceOf(PermanentDeliveryException.class)
                .satisfies(e -> assertThat(((PermanentDeliveryException) e).reason()).isEqualTo("http-400"));
        line.failNextWith(429, "You have reached your monthly limit.");
        assertThatThrownBy(() -> sender.deliver(message("o-11", "x", null, null)))
                .isInstanceOf(PermanentDeliveryException.class)
                .satisfies(e -> assertThat(((PermanentDeliveryException) e).reason()).isEqualTo("quota-exceeded"));
    }

    @Test
    void withoutAnAccessTokenNothingIsSentAndHealthSaysWhy() throws Exception {
        Files.delete(etc.resolve("line.token"));
        SecretSource missing = LineConnector.secret("channelAccessToken", "line.token", "", etc, Map.of());
        LineSender noToken = new LineSender(mapper, new LineApi(line.baseUrl(), line.baseUrl(), missing,
                Duration.ofSeconds(5)), missing, new ReplyTokens(), status, Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofSeconds(10));
        assertThatThrownBy(() -> noToken.deliver(message("o-12", "x", null, null)))
                .isInstanceOf(RetryableDeliveryException.class);
        assertThat(status.health().detail()).contains("channelAccessToken file not found");
        assertThat(line.requests()).isEmpty();
    }
}
