package io.musubi.rest.internal.resources;

import io.musubi.hub.definitions.QueueForm;
import io.musubi.hub.definitions.AgentForm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.QueueDefinition;
import io.musubi.acd.StickyMode;
import io.musubi.model.Channel;
import io.musubi.rest.internal.app.ObjectMapperResolver;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Agent and queue definitions survive JSON → engine definition → JSON (what the store keeps and restores). */
class DefinitionJsonTest {

    private static final String QUEUE = """
            {"name":"Support","channels":["WEBCHAT","LINE"],"requiredSkills":{"ja":3},"members":["alice"],
             "priority":5,"strategy":"best-skill","serviceLevel":{"targetPercent":80,"thresholdSeconds":20},
             "maxWaitSeconds":600,"overflow":{"kind":"QUEUE","queueId":"backup"},
             "openingHours":{"zone":"Asia/Tokyo","week":{"MONDAY":[{"from":"09:00","to":"18:00"}]},
                             "holidays":["2026-12-31"]},
             "wrapUpSeconds":30,"sticky":{"mode":"PREFERRED","ttlSeconds":3600,"preferredWaitSeconds":15},
             "vipBoost":20,"agingWeight":0.5,"offerTimeoutSeconds":{"WEBCHAT":25},
             "escalation":[{"afterSeconds":120,"requiredSkills":{"ja":1},"addQueues":["backup"]}]}
            """;

    @Test
    void aQueueDefinitionRoundTripsWithItsIdsScopedInsideTheEngineAndLocalOutside() throws Exception {
        QueueForm.Body body = ObjectMapperResolver.mapper().readValue(QUEUE, QueueForm.Body.class);
        QueueDefinition d = body.toDefinition("acme", "acme/support");

        assertThat(d.members()).containsExactly("acme/alice");
        assertThat(d.overflow().queueId()).isEqualTo("acme/backup");
        assertThat(d.escalation().get(0).addQueues()).containsExactly("acme/backup");
        assertThat(d.offerTimeout(Channel.WEBCHAT)).isEqualTo(Duration.ofSeconds(25));
        assertThat(d.sticky().mode()).isEqualTo(StickyMode.PREFERRED);
        assertThat(d.openingHours().isAlwaysOpen()).isFalse();

        QueueForm.Body back = QueueForm.Body.of(d);
        assertThat(back.members()).containsExactly("alice");
        assertThat(back.toDefinition("acme", "acme/support").toString()).isEqualTo(d.toString());
        String json = ObjectMapperResolver.mapper().writeValueAsString(back);
        QueueForm.Body again = ObjectMapperResolver.mapper().readValue(json, QueueForm.Body.class);
        assertThat(again).isEqualTo(back);
    }

    @Test
    void stickyRoutingIsOnUnlessAQueueTurnsItOff() throws Exception {
        QueueDefinition plain = ObjectMapperResolver.mapper().readValue("{\"name\":\"Plain\"}", QueueForm.Body.class)
                .toDefinition("acme", "acme/plain");
        assertThat(plain.sticky().enabled()).isTrue();
        assertThat(plain.sticky().mode()).isEqualTo(StickyMode.PREFERRED);
        assertThat(plain.sticky().ttl()).isEqualTo(Duration.ofHours(24));
        assertThat(plain.sticky().preferredWait()).isEqualTo(Duration.ofSeconds(20));

        QueueDefinition off = ObjectMapperResolver.mapper().readValue(
                "{\"name\":\"Off\",\"sticky\":{\"enabled\":false}}", QueueForm.Body.class)
                .toDefinition("acme", "acme/off");
        assertThat(off.sticky().enabled()).isFalse();
        QueueForm.Body back = QueueForm.Body.of(off);
        assertThat(back.sticky().enabled()).isFalse();
        assertThat(back.toDefinition("acme", "acme/off").sticky().enabled()).as("off survives a round trip").isFalse();
        assertThat(QueueForm.Body.of(plain).sticky().enabled()).isTrue();
    }

    @Test
    void anAgentDefinitionRoundTrips() throws Exception {
        AgentForm.Body body = ObjectMapperResolver.mapper().readValue("""
                {"name":"Alice","skills":{"ja":5,"billing":2},"capacities":{"VOICE":1,"WEBCHAT":3},
                 "sharedCapacity":4,"costs":{"VOICE":3},"disabledChannels":["VOICE"],"teams":["tokyo"]}
                """, AgentForm.Body.class);
        AgentDefinition d = body.toDefinition("acme/alice");
        assertThat(d.capacity(Channel.WEBCHAT)).isEqualTo(3);
        assertThat(d.cost(Channel.VOICE)).isEqualTo(3);
        assertThat(d.initiallyEnabled()).doesNotContain(Channel.VOICE).contains(Channel.WEBCHAT);

        AgentForm.Body back = AgentForm.Body.of(d);
        assertThat(back.toDefinition("acme/alice").toString()).isEqualTo(d.toString());
        assertThat(back.disabledChannels()).containsExactly(Channel.VOICE);
    }

    @Test
    void aSmuggledTenantIdIsRefused() {
        assertThatThrownBy(() -> ObjectMapperResolver.mapper().readValue("{\"name\":\"x\",\"tenantId\":\"other\"}",
                AgentForm.Body.class)).isInstanceOf(UnrecognizedPropertyException.class);
    }
}
