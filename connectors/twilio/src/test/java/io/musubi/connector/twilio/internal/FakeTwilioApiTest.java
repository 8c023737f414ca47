package io.musubi.connector.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;

import io.musubi.connector.twilio.testing.FakeTwilioApi;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local Twilio API checked by Twilio's own Java SDK: what the SDK sends is accepted as Twilio would, and what the
 * fake answers parses into the SDK's models (so the fake is not merely shaped like the connector's expectations).
 * The SDK's requests are carried by a small transport that sends them, unchanged, to the fake instead of
 * api.twilio.com.
 */
class FakeTwilioApiTest {

    private static final String TOKEN = "fedcba9876543210fedcba9876543210";

    private FakeTwilioApi twilio;
    private TwilioRestClient client;

    /** The SDK's request, as built and encoded by the SDK, sent to the fake. */
    private static final class ToFake extends com.twilio.http.HttpClient {
        private final String base;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        ToFake(String base) {
            this.base = base;
        }

        @Override
        public Response makeRequest(Request request) {
            String url = request.constructURL().toString().replaceFirst("^https://api\\.twilio\\.com", base);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (request.getUsername() + ":" + request.getPassword()).getBytes(StandardCharsets.UTF_8)))
                    .header("Accept", "application/json");
            if (request.getMethod() == HttpMethod.POST) {
                b.header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(request.encodeFormBody()));
            } else {
                b.GET();
            }
            try {
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                return new Response(r.body(), r.statusCode());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        String account = FakeTwilioApi.newAccountSid();
        twilio = FakeTwilioApi.start(account, TOKEN);
        client = new TwilioRestClient.Builder(account, TOKEN).accountSid(account)
                .httpClient(new ToFake(twilio.baseUrl())).build();
    }

    @AfterEach
    void stop() {
        twilio.close();
    }

    @Test
    void theSdkSendsAMessageAndReadsTheResource() {
        Message m = Message.creator(new PhoneNumber("+819012345678"), new PhoneNumber("+14155550100"), "こんにちは 🙏")
                .setStatusCallback(URI.create("https://hub.example.com/webhooks/twilio/t?messageId=o-1"))
                .create(client);
        assertThat(m.getSid()).startsWith("SM").hasSize(34);
        assertThat(m.getStatus()).isEqualTo(Message.Status.QUEUED);
        assertThat(m.getBody()).isEqualTo("こんにちは 🙏");
        assertThat(m.getTo()).isEqualTo("+819012345678");
        assertThat(m.getDirection()).isEqualTo(Message.Direction.OUTBOUND_API);
        assertThat(m.getDateCreated()).isNotNull();
        assertThat(twilio.sent()).singleElement().satisfies(s -> {
            assertThat(s.body()).isEqualTo("こんにちは 🙏");
            assertThat(s.statusCallback()).isEqualTo("https://hub.example.com/webhooks/twilio/t?messageId=o-1");
        });
        assertThat(twilio.violations()).isEmpty();
    }

    @Test
    void theSdkSendsThroughAMessagingServiceAndListsMessages() {
        String service = "MG" + "ab".repeat(16);
        Message m = Message.creator(new PhoneNumber("+819012345678"), service, "one").create(client);
        assertThat(m.getStatus()).isEqualTo(Message.Status.ACCEPTED);
        assertThat(m.getMessagingServiceSid()).isEqualTo(service);
        Message.creator(new PhoneNumber("+819000000000"), new PhoneNumber("+14155550100"), "other").create(client);
        List<Message> listed = new ArrayList<>();
        Message.reader().setTo(new PhoneNumber("+819012345678")).setPageSize(20L).read(client).forEach(listed::add);
        assertThat(listed).extracting(Message::getBody).containsExactly("one");
        assertThat(twilio.violations()).isEmpty();
    }

    @Test
    void refusalsAreTwiliosErrorDocuments() {
        assertThatThrownBy(() -> Message.creator(new PhoneNumber("0312345678"), new PhoneNumber("+14155550100"), "x")
                .create(client)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).getCode()).isEqualTo(21211));
        twilio.refuseNext(400, 21610);
        assertThatThrownBy(() -> Message.creator(new PhoneNumber("+819012345678"), new PhoneNumber("+14155550100"), "x")
                .create(client)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).getCode()).isEqualTo(21610));
        TwilioRestClient wrong = new TwilioRestClient.Builder(twilio.accountSid(), "wrong").accountSid(twilio.accountSid())
                .httpClient(new ToFake(twilio.baseUrl())).build();
        assertThatThrownBy(() -> Message.creator(new PhoneNumber("+819012345678"), new PhoneNumber("+14155550100"), "x")
                .create(wrong)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).getCode()).isEqualTo(20003));
    }

    @Test
    void refusedCredentialsAreTwilios401UntilAccepted() {
        twilio.refuseCredentials(true);
        assertThatThrownBy(() -> Message.creator(new PhoneNumber("+819012345678"), new PhoneNumber("+14155550100"), "x")
                .create(client)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).getStatusCode()).isEqualTo(401))
                .satisfies(e -> assertThat(((ApiException) e).getCode()).isEqualTo(20003));
        twilio.refuseCredentials(false);
        Message.creator(new PhoneNumber("+819012345678"), new PhoneNumber("+14155550100"), "y").create(client);
        assertThat(twilio.sent()).extracting(FakeTwilioApi.Sent::body).containsExactly("y");
        assertThat(twilio.violations()).as("the refusal is Twilio's doing, not a client's fault").isEmpty();
    }
}
