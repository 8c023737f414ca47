package io.musubi.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.LuminanceSource;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.musubi.hub.internal.menu.LiveChannelMenuPolicy;
import io.musubi.acd.AcdConfig;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.QueueDefinition;
import io.musubi.acd.internal.AcdCore;
import io.musubi.api.InteractionIntake;
import io.musubi.api.ScheduledInteractions;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceState;
import io.musubi.rest.internal.app.ObjectMapperResolver;
import io.musubi.rest.Role;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The public channel menu end to end: what a customer's browser reads and asks without credentials. */
class PublicChannelMenuResourceTest {

    static final String ADMIN = ResourceServer.caller("acme", null, Role.ADMIN);
    static final String ENTRY_POINT = """
            {"name":"Web","published":true,"options":[
              {"channel":"WEBCHAT","queueId":"support","label":"Chat","reach":{"kind":"WEBCHAT","value":"web"}},
              {"channel":"LINE","queueId":"support","label":"LINE","reach":{"kind":"LINE","value":"https://lin.ee/abcdEFG"}},
              {"channel":"VOICE","queueId":"support","label":"Call back","reach":{"kind":"CALLBACK"}}]}""";

    private final List<InboundEvent> submitted = new CopyOnWriteArrayList<>();
    private AcdCore acd;
    private ResourceServer server;

    @BeforeEach
    void start() throws Exception {
        acd = new AcdCore(AcdConfig.defaults(), Clock.systemUTC());
        acd.defineAgent(AgentDefinition.builder("acme/alice").name("Alice Agent").build());
        acd.defineQueue(QueueDefinition.builder("acme/support").channels(Channel.values()).member("acme/alice").build());
        InteractionIntake intake = new InteractionIntake() {
            @Override
            public Interaction submit(InboundEvent e) {
                submitted.add(e);
                return new Interaction("i-" + submitted.size(), e.tenantId(), e.channel(), "c-1", e.from(), e.to(),
                        e.threadKey(), "acme/support", 0, e.attributes(), InteractionState.QUEUED, e.occurredAt(),
                        e.occurredAt(), "", "");
            }

            @Override
            public void record(InteractionEvent event) {
            }
        };
        ChannelMenuResource menus = new ChannelMenuResource(new LiveChannelMenuPolicy(acd),
                new ResourceServer.MemoryDefinitions(), intake);
        server = ResourceServer.start(menus, new PublicChannelMenuResource(menus, intake, Clock.systemUTC()));
        assertThat(server.send("PUT", "channel-menu/entry-points/web", ADMIN, ENTRY_POINT).statusCode()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode menu() throws Exception {
        HttpResponse<String> r = server.send("GET", "public/channel-menu/acme/web", null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        return ObjectMapperResolver.mapper().readTree(r.body());
    }

    @Test
    void aPublishedMenuIsReadWithoutCredentialsAndItsWaitFollowsTheAgentsPresence() throws Exception {
        JsonNode closed = menu();
        assertThat(closed.path("name").asText()).isEqualTo("Web");
        assertThat(closed.path("options")).hasSize(3);
        JsonNode chat = closed.path("options").get(0);
        assertThat(chat.path("open").asBoolean()).as("no agent logged in: a live channel is closed").isFalse();
        assertThat(chat.has("expectedWaitSeconds")).isFalse();
        JsonNode line = closed.path("options").get(1);
        assertThat(line.path("open").asBoolean()).as("LINE is answered later: open while the queue is").isTrue();
        assertThat(line.path("qr").asText()).isEqualTo("options/1/qr.svg");
        assertThat(closed.toString()).as("nothing about agents or waiting counts")
                .doesNotContain("agents").doesNotContain("waiting").doesNotContain("Alice").doesNotContain("alice");

        acd.setPresence("acme/alice", PresenceState.AVAILABLE, "", "agent:alice");
        JsonNode open = menu().path("options").get(0);
        assertThat(open.path("open").asBoolean()).isTrue();
        assertThat(open.path("expectedWaitSeconds").asDouble()).isZero();

        acd.setPresence("acme/alice", PresenceState.BREAK, "lunch", "agent:alice");
        assertThat(menu().path("options").get(0).path("open").asBoolean()).isFalse();
    }

    @Test
    void unpublishedUnknownAndMalformedEntryPointsAreNotFound() throws Exception {
        assertThat(server.send("PUT", "channel-menu/entry-points/inside", ADMIN,
                ENTRY_POINT.replace("\"published\":true", "\"published\":false")).statusCode()).isEqualTo(201);
        assertThat(server.send("PUT", "channel-menu/entry-points/plain", ADMIN,
                ENTRY_POINT.replace("\"published\":true,", "")).statusCode()).isEqualTo(201);
        for (String path : List.of("acme/inside", "acme/plain", "acme/none", "other/web", "ACME/web", "acme/..")) {
            HttpResponse<String> r = server.send("GET", "public/channel-menu/" + path, null, null);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
        assertThat(server.send("GET", "public/channel-menu/acme/web/options/0/qr.svg", null, null).statusCode())
                .as("only LINE options have a QR code").isEqualTo(404);
    }

    @Test
    void theQrCodeOfTheLineOptionDecodesToItsAddFriendLink() throws Exception {
        HttpResponse<String> r = server.send("GET", "public/channel-menu/acme/web/options/1/qr.svg", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
        assertThat(decode(r.body())).isEqualTo("https://lin.ee/abcdEFG");
    }

    @Test
    void aCallBackAtAChosenTimeBecomesAVoiceInteractionCarryingTheTime() throws Exception {
        Instant at = Instant.now().plus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        HttpResponse<String> r = server.send("POST", "public/channel-menu/acme/web/callback", null,
                "{\"phone\":\"+81 3-1234-5678\",\"at\":\"" + at + "\",\"note\":\"about my order\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.body()).doesNotContain("i-1");
        assertThat(submitted).hasSize(1);
        InboundEvent e = submitted.get(0);
        assertThat(e.channel()).isEqualTo(Channel.VOICE);
        assertThat(e.tenantId()).isEqualTo("acme");
        assertThat(e.from().uri()).isEqualTo("tel:+81312345678");
        assertThat(e.attributes()).containsEntry("callback", "true").containsEntry("callbackAt", at.toString())
                .containsEntry("musubi.queue", "support").containsEntry("note", "about my order")
                .as("held back by the hub until then").containsEntry(ScheduledInteractions.DUE_AT, at.toString());
    }

    @Test
    void aCallBackAsSoonAsPossibleIsNotHeldBack() throws Exception {
        HttpResponse<String> r = server.send("POST", "public/channel-menu/acme/web/callback", null,
                "{\"phone\":\"+81 3-1234-5678\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(submitted).singleElement().satisfies(e -> {
            assertThat(e.attributes()).containsKey("callbackAt").doesNotContainKey(ScheduledInteractions.DUE_AT);
            assertThat(e.threadKey()).as("its own conversation").isEqualTo(e.eventId());
        });
    }

    @Test
    void aBadCallBackRequestIs400NamingTheFieldAndStoresNothing() throws Exception {
        Map<String, String> bad = Map.of(
                "{\"phone\":\"call me\"}", "phone:",
                "{\"phone\":\"+81312345678\",\"at\":\"" + Instant.now().minus(Duration.ofHours(1)) + "\"}", "at:",
                "{\"phone\":\"+81312345678\",\"at\":\"" + Instant.now().plus(Duration.ofDays(31)) + "\"}", "at:",
                "{\"phone\":\"+81312345678\",\"note\":\"" + "x".repeat(501) + "\"}", "note:",
                "{\"phone\":\"+81312345678\",\"tenantId\":\"other\"}", "tenantId");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            HttpResponse<String> r = server.send("POST", "public/channel-menu/acme/web/callback", null, b.getKey());
            assertThat(r.statusCode()).as(b.getValue()).isEqualTo(400);
            assertThat(r.body()).contains(b.getValue());
        }
        assertThat(submitted).isEmpty();
    }

    @Test
    void callBackRequestsAreLimitedPerClientAddress() throws Exception {
        for (int i = 0; i < PublicChannelMenuResource.CALLBACK_BURST; i++) {
            assertThat(server.send("POST", "public/channel-menu/acme/web/callback", null,
                    "{\"phone\":\"+8131234567" + i + "\"}").statusCode()).isEqualTo(202);
        }
        HttpResponse<String> refused = server.send("POST", "public/channel-menu/acme/web/callback", null,
                "{\"phone\":\"+81312345679\"}");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(submitted).hasSize(PublicChannelMenuResource.CALLBACK_BURST);
    }

    /** Reads the SVG's module squares back into an image and decodes it with ZXing's reader. */
    private static String decode(String svg) throws Exception {
        Matcher box = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
        assertThat(box.find()).isTrue();
        int size = Integer.parseInt(box.group(1));
        int scale = 4;
        int[] pixels = new int[size * scale * size * scale];
        java.util.Arrays.fill(pixels, 0xFFFFFF);
        Matcher m = Pattern.compile("M(\\d+) (\\d+)h1v1h-1z").matcher(svg);
        while (m.find()) {
            int x = Integer.parseInt(m.group(1));
            int y = Integer.parseInt(m.group(2));
            for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) {
                    pixels[(y * scale + dy) * size * scale + x * scale + dx] = 0;
                }
            }
        }
        LuminanceSource source = new RGBLuminanceSource(size * scale, size * scale, pixels);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
    }
}
