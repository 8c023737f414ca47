package io.musubi.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.musubi.rest.internal.app.ObjectMapperResolver;
import io.musubi.rest.Role;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MeResourceTest {

    @Test
    void aDesktopLearnsTheAgentItActsAsAndItsRoles() throws Exception {
        try (ResourceServer server = ResourceServer.start(new MeResource())) {
            HttpResponse<String> r = server.send("GET", "me", ResourceServer.caller("acme", "alice", Role.AGENT,
                    Role.SUPERVISOR), null);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode me = ObjectMapperResolver.mapper().readTree(r.body());
            assertThat(me.path("tenantId").asText()).isEqualTo("acme");
            assertThat(me.path("agentId").asText()).isEqualTo("alice");
            assertThat(me.path("roles").toString()).isEqualTo("[\"agent\",\"supervisor\"]");
            JsonNode integration = ObjectMapperResolver.mapper().readTree(server.send("GET", "me",
                    ResourceServer.caller("acme", null, Role.INTEGRATION), null).body());
            assertThat(integration.has("agentId")).isFalse();
        }
    }
}
