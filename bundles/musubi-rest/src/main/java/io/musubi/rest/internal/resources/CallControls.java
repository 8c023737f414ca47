package io.musubi.rest.internal.resources;

import io.musubi.model.Interaction;
import io.musubi.spi.CallControl;
import io.musubi.spi.CallControlException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The voice connectors' {@link CallControl} services as the call resources find them: by the interaction's source
 * connector, or for click-to-dial by the tenant. Maps their refusals to the API's statuses: a refused value 400, no
 * live call or a PBX refusal 409, an unreachable PBX 503.
 */
final class CallControls {

    private final Map<String, CallControl> byConnector = new ConcurrentHashMap<>();

    void add(CallControl control) {
        byConnector.put(control.connectorId(), control);
    }

    void remove(CallControl control) {
        byConnector.remove(control.connectorId(), control);
    }

    /** The call control of the connector the interaction came in by; 409 when it has none. */
    CallControl of(Interaction interaction) {
        String source = interaction.attributes().get("musubi.source");
        CallControl c = source == null ? null : byConnector.get(source);
        if (c == null || !c.tenantId().equals(interaction.tenantId())) {
            throw new ClientErrorException("the interaction is not a call of a voice connector with call control",
                    Response.Status.CONFLICT);
        }
        return c;
    }

    /** The tenant's voice connector: the one named, or the only one. */
    CallControl forTenant(String tenantId, String connectorId) {
        List<CallControl> serving = byConnector.values().stream().filter(c -> c.tenantId().equals(tenantId))
                .toList();
        if (connectorId != null && !connectorId.isBlank()) {
            return serving.stream().filter(c -> c.connectorId().equals(connectorId)).findFirst()
                    .orElseThrow(() -> new BadRequestException("connectorId names no voice connector of the tenant"));
        }
        if (serving.isEmpty()) {
            throw new ClientErrorException("no voice connector serves the tenant", Response.Status.CONFLICT);
        }
        if (serving.size() > 1) {
            throw new BadRequestException("connectorId is required: several voice connectors serve the tenant");
        }
        return serving.get(0);
    }

    /** Runs a call-control operation, its refusals as problem+json statuses. */
    static <T> T run(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (CallControlException e) {
            switch (e.reason()) {
                case INVALID -> throw new BadRequestException(e.getMessage());
                case NO_CALL, REFUSED -> throw new ClientErrorException(e.getMessage(), Response.Status.CONFLICT);
                default -> throw new ServiceUnavailableException(e.getMessage());
            }
        }
    }
}
