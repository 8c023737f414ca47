package io.musubi.rest.internal.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AgentDefinition;
import io.musubi.history.DefinitionRepository;
import io.musubi.history.DefinitionRepository.Definition;
import io.musubi.history.DefinitionRepository.Kind;
import io.musubi.model.InvalidInputException;
import io.musubi.model.ScopedId;
import io.musubi.rest.internal.ObjectMapperResolver;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents and queues defined over the API, kept durable: every write goes to the store first, then to the engine;
 * when the hub starts, what the store holds is defined in the engine again (agents log in afresh: presence is not
 * restored).
 */
@Component(service = AcdDefinitions.class, immediate = true)
public final class AcdDefinitions {

    private static final Logger LOG = LoggerFactory.getLogger(AcdDefinitions.class);

    /** The longest definition the store keeps, as JSON ({@code acd_definitions.body}). */
    static final int MAX_STORED = 65_536;

    private final AcdEngine acd;
    private final DefinitionRepository store;
    private final Map<String, AgentDefinition> agents = new ConcurrentHashMap<>();

    @Activate
    public AcdDefinitions(@Reference AcdEngine acd, @Reference DefinitionRepository store) {
        this.acd = acd;
        this.store = store;
        int agentCount = 0;
        int queues = 0;
        for (Definition d : store.all(Kind.AGENT)) {
            agentCount += restore(d, () -> {
                AgentDefinition agent = read(d, AgentJson.Body.class).toDefinition(d.id());
                acd.defineAgent(agent);
                this.agents.put(agent.id(), agent);
            });
        }
        for (Definition d : store.all(Kind.QUEUE)) {
            queues += restore(d, () -> acd.defineQueue(read(d, QueueJson.Body.class).toDefinition(d.tenantId(), d.id())));
        }
        LOG.info("restored {} agent and {} queue definitions", agentCount, queues);
    }

    private static int restore(Definition d, Runnable define) {
        try {
            define.run();
            return 1;
        } catch (RuntimeException e) {
            LOG.error("stored {} definition {} could not be restored: {}", d.kind(), d.id(), e.getMessage());
            return 0;
        }
    }

    /** A stored definition's JSON body as {@code type}. */
    static <T> T read(Definition d, Class<T> type) {
        try {
            return ObjectMapperResolver.mapper().readValue(d.body(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored definition", e);
        }
    }

    /** Defines (or replaces) an agent; returns whether it is new. */
    boolean saveAgent(String tenantId, String localId, AgentJson.Body body) {
        String id = ScopedId.of(tenantId, localId);
        AgentDefinition definition = body.toDefinition(id);
        boolean created = acd.agent(id).isEmpty();
        store.save(Kind.AGENT, id, tenantId, write(AgentJson.Body.of(definition)));
        acd.defineAgent(definition);
        agents.put(id, definition);
        return created;
    }

    /** Removes an agent (it must have no work); false if there was none. */
    boolean deleteAgent(String tenantId, String localId) {
        String id = ScopedId.of(tenantId, localId);
        if (acd.agent(id).isEmpty()) {
            return false;
        }
        acd.removeAgent(id);
        store.delete(Kind.AGENT, id);
        agents.remove(id);
        return true;
    }

    /** Defines (or replaces) a queue; returns whether it is new. */
    boolean saveQueue(String tenantId, String localId, QueueJson.Body body) {
        String id = ScopedId.of(tenantId, localId);
        var definition = body.toDefinition(tenantId, id);
        boolean created = acd.queueStatistics(id).isEmpty();
        store.save(Kind.QUEUE, id, tenantId, write(QueueJson.Body.of(definition)));
        acd.defineQueue(definition);
        return created;
    }

    boolean deleteQueue(String tenantId, String localId) {
        String id = ScopedId.of(tenantId, localId);
        if (acd.queueStatistics(id).isEmpty()) {
            return false;
        }
        acd.removeQueue(id);
        store.delete(Kind.QUEUE, id);
        return true;
    }

    /** The definition of an agent defined over the API (agents defined otherwise have none here). */
    Optional<AgentDefinition> agentDefinition(String scopedId) {
        return Optional.ofNullable(agents.get(scopedId));
    }

    /** A definition as the JSON body the store keeps; one over {@value #MAX_STORED} characters is refused (400). */
    static String write(Object body) {
        String json;
        try {
            json = ObjectMapperResolver.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("definition not serialisable", e);
        }
        if (json.length() > MAX_STORED) {
            throw new InvalidInputException("body", "a definition is at most " + MAX_STORED + " characters of JSON, "
                    + "got " + json.length());
        }
        return json;
    }
}
