package io.musubi.hub.internal.definitions;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.AgentDefinition;
import io.musubi.acd.QueueDefinition;
import io.musubi.hub.definitions.AcdDefinitions;
import io.musubi.hub.definitions.AgentForm;
import io.musubi.hub.definitions.QueueForm;
import io.musubi.hub.definitions.StoredForms;
import io.musubi.model.ScopedId;
import io.musubi.store.DefinitionRepository;
import io.musubi.store.DefinitionRepository.Definition;
import io.musubi.store.DefinitionRepository.Kind;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AcdDefinitions} service: the engine decides, the store keeps. Activation gives the engine every stored
 * definition (agents first: queues name their members); the service is only handed out once that is done.
 * Changes are serialised: two administrators saving the same queue cannot leave the engine with one and the store
 * with the other.
 */
@Component(service = AcdDefinitions.class, immediate = true)
public final class Definitions implements AcdDefinitions {

    private static final Logger LOG = LoggerFactory.getLogger(Definitions.class);

    private final AcdEngine acd;
    private final DefinitionRepository store;
    private final Map<String, AgentDefinition> agents = new ConcurrentHashMap<>();

    @Activate
    public Definitions(@Reference AcdEngine acd, @Reference DefinitionRepository store) {
        this.acd = acd;
        this.store = store;
        int agentCount = 0;
        int queues = 0;
        for (Definition d : store.all(Kind.AGENT)) {
            agentCount += restore(d, () -> {
                AgentDefinition agent = StoredForms.read(d, AgentForm.Body.class).toDefinition(d.id());
                acd.defineAgent(agent);
                agents.put(agent.id(), agent);
            });
        }
        for (Definition d : store.all(Kind.QUEUE)) {
            queues += restore(d, () -> acd.defineQueue(StoredForms.read(d, QueueForm.Body.class)
                    .toDefinition(d.tenantId(), d.id())));
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

    @Override
    public synchronized boolean saveAgent(String tenantId, String localId, AgentForm.Body body) {
        String id = ScopedId.of(tenantId, localId);
        AgentDefinition definition = body.toDefinition(id);
        String json = StoredForms.write(AgentForm.Body.of(definition));
        AgentDefinition previous = agents.get(id);
        boolean created = acd.agent(id).isEmpty();
        acd.defineAgent(definition);
        try {
            store.save(Kind.AGENT, id, tenantId, json);
        } catch (RuntimeException e) {
            undo(() -> {
                if (created) {
                    acd.removeAgent(id);
                } else if (previous != null) {
                    acd.defineAgent(previous);
                }
            }, "agent " + id);
            throw e;
        }
        agents.put(id, definition);
        return created;
    }

    @Override
    public synchronized boolean deleteAgent(String tenantId, String localId) {
        String id = ScopedId.of(tenantId, localId);
        if (acd.agent(id).isEmpty()) {
            return false;
        }
        AgentDefinition previous = agents.get(id);
        acd.removeAgent(id);
        try {
            store.delete(Kind.AGENT, id);
        } catch (RuntimeException e) {
            if (previous != null) {
                undo(() -> acd.defineAgent(previous), "agent " + id);
            }
            throw e;
        }
        agents.remove(id);
        return true;
    }

    @Override
    public synchronized boolean saveQueue(String tenantId, String localId, QueueForm.Body body) {
        String id = ScopedId.of(tenantId, localId);
        QueueDefinition definition = body.toDefinition(tenantId, id);
        String json = StoredForms.write(QueueForm.Body.of(definition));
        Optional<QueueDefinition> previous = acd.queue(id);
        acd.defineQueue(definition);
        try {
            store.save(Kind.QUEUE, id, tenantId, json);
        } catch (RuntimeException e) {
            undo(() -> {
                if (previous.isPresent()) {
                    acd.defineQueue(previous.get());
                } else {
                    acd.removeQueue(id);
                }
            }, "queue " + id);
            throw e;
        }
        return previous.isEmpty();
    }

    @Override
    public synchronized boolean deleteQueue(String tenantId, String localId) {
        String id = ScopedId.of(tenantId, localId);
        Optional<QueueDefinition> previous = acd.queue(id);
        if (previous.isEmpty()) {
            return false;
        }
        acd.removeQueue(id);
        try {
            store.delete(Kind.QUEUE, id);
        } catch (RuntimeException e) {
            undo(() -> acd.defineQueue(previous.get()), "queue " + id);
            throw e;
        }
        return true;
    }

    @Override
    public Optional<AgentDefinition> agentDefinition(String scopedId) {
        return Optional.ofNullable(agents.get(scopedId));
    }

    /** Takes a change back from the engine after the store refused it; a failure here is logged, the store's wins. */
    private static void undo(Runnable undo, String what) {
        try {
            undo.run();
        } catch (RuntimeException e) {
            LOG.error("{}: the store refused a change and the engine could not take it back: {}", what,
                    e.getMessage());
        }
    }
}
