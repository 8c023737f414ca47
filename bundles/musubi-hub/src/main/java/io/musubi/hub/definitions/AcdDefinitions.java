package io.musubi.hub.definitions;

import io.musubi.acd.AgentDefinition;
import java.util.Optional;

/**
 * The agents and queues an administrator defined (over the REST API), kept durable and in the ACD alike.
 *
 * <p>Every change is checked by the ACD engine first (which may refuse it: a queue escalating to itself, a queue of
 * another tenant, an agent who still has work) and stored after: a refused change stores nothing, and a change the
 * store cannot keep is taken back from the engine, so the two never disagree. When the hub starts, the stored
 * definitions are given to the engine before this service is registered; the hub's ingress waits for this service,
 * so no event is routed before the tenant's queues exist again.
 */
public interface AcdDefinitions {

    /** Defines (or replaces) an agent of a tenant; returns whether it is new. */
    boolean saveAgent(String tenantId, String localId, AgentForm.Body body);

    /** Removes an agent (the engine refuses while it has work); false if there was none. */
    boolean deleteAgent(String tenantId, String localId);

    /** Defines (or replaces) a queue of a tenant; returns whether it is new. */
    boolean saveQueue(String tenantId, String localId, QueueForm.Body body);

    /** Removes a queue (the engine refuses while interactions wait in it); false if there was none. */
    boolean deleteQueue(String tenantId, String localId);

    /** The definition of an agent defined through this service (agents defined otherwise have none here). */
    Optional<AgentDefinition> agentDefinition(String scopedId);
}
