package io.musubi.rest.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.IngressUnavailableException;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.WebhookHandler;
import io.musubi.spi.WebhookRejectedException;
import io.musubi.spi.WebhookRequest;
import io.musubi.spi.WebhookResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** The shared webhook intake: authentication first, mapping, durable hand-off, answers and counters. */
class WebhookIntakeTest {

    /** A toy provider: the signature header must equal "sig:" + body length; bodies starting with '!' are malformed. */
    private static final class ToyHandler implements WebhookHandler {
        boolean mapped;

        @Override
        public void authenticate(WebhookRequest request) {
            String sig = request.header("X-Toy-Signature")
                    .orElseThrow(() -> WebhookRejectedException.missingSignature("no X-Toy-Signature"));
            byte[] expected = ("sig:" + request.body().length).getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.UTF_8))) {
                throw WebhookRejectedException.badSignature("X-Toy-Signature does not match");
            }
        }

        @Override
        public List<InboundEvent> toEvents(WebhookRequest request) {
            mapped = true;
            String body = new String(request.body(), StandardCharsets.UTF_8);
            if (body.startsWith("!")) {
                throw new MalformedInputException("field 'x' missing");
            }
            return List.of(new InboundEvent("ev-" + body.length(), "toy.main", "default", Channel.CUSTOM,
                    InteractionEventType.MESSAGE_IN, Address.parse("webchat:v1"), null, "", MessageContent.text(body),
                    Map.of(), Instant.parse("2026-12-01T00:00:00Z")));
        }
    }

    private static final class Ingress implements IngressGateway {
        final List<InboundEvent> taken = new ArrayList<>();
        final AtomicBoolean down = new AtomicBoolean();

        @Override
        public void submit(List<InboundEvent> events) {
            if (down.get()) {
                throw new IngressUnavailableException("broker down", Duration.ofSeconds(1), null);
            }
            taken.addAll(events);
        }
    }

    private static WebhookRequest post(String body, String signature) {
        return new WebhookRequest("POST", "/webhooks/toy/toy.main", "",
                signature == null ? Map.of() : Map.of("x-toy-signature", List.of(signature)),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private final WebhookIntake intake = new WebhookIntake();
    private final ToyHandler handler = new ToyHandler();
    private final Ingress ingress = new Ingress();

    @Test
    void aSignedRequestIsHandedOnDurablyAndAnswered200() {
        WebhookResponse r = intake.post("toy", "toy.main", handler, post("hello", "sig:5"), ingress);
        assertThat(r.status()).isEqualTo(200);
        assertThat(ingress.taken).hasSize(1);
        assertThat(intake.counts()).containsEntry("toy/toy.main.accepted", "1").containsEntry("toy/toy.main.events", "1");
    }

    @Test
    void missingAndBadSignaturesAreRefusedBeforeAnythingIsParsed() {
        assertThat(intake.post("toy", "toy.main", handler, post("hello", null), ingress).status()).isEqualTo(401);
        assertThat(intake.post("toy", "toy.main", handler, post("hello", "sig:4"), ingress).status()).isEqualTo(403);
        assertThat(handler.mapped).isFalse();
        assertThat(ingress.taken).isEmpty();
        assertThat(intake.counts()).containsEntry("toy/toy.main.unauthenticated", "1")
                .containsEntry("toy/toy.main.forbidden", "1");
    }

    @Test
    void aMalformedBodyIs400AndCountedAndNothingIsTaken() {
        WebhookResponse r = intake.post("toy", "toy.main", handler, post("!oops", "sig:5"), ingress);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("field 'x' missing").doesNotContain("oops");
        assertThat(ingress.taken).isEmpty();
        assertThat(intake.counts()).containsEntry("toy/toy.main.malformed", "1");
    }

    @Test
    void whenTheHubCannotTakeEventsTheProviderIsToldToRetry() {
        ingress.down.set(true);
        assertThat(intake.post("toy", "toy.main", handler, post("hello", "sig:5"), ingress).status()).isEqualTo(503);
        assertThat(intake.counts()).containsEntry("toy/toy.main.unavailable", "1");
    }

    @Test
    void aFloodOfRefusalsUnderBackPressureLeavesOneLogLineNotOnePerRequest() {
        ingress.down.set(true);
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 50; i++) {
                assertThat(intake.post("toy", "toy.main", handler, post("hello", "sig:5"), ingress).status())
                        .isEqualTo(503);
            }
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("not taken")))
                .hasSize(1);
        assertThat(intake.counts()).as("every refusal is counted").containsEntry("toy/toy.main.unavailable", "50");
    }

    @Test
    void handlersAreFoundByTypeAndIdAndForgottenWhenTheyGo() {
        intake.add("toy", "toy.main", handler);
        assertThat(intake.handler("toy", "toy.main")).isSameAs(handler);
        assertThat(intake.handler("toy", "toy.other")).isNull();
        intake.remove("toy", "toy.main", handler);
        assertThat(intake.handler("toy", "toy.main")).isNull();
    }
}
