package io.musubi.store.jdbc.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.musubi.store.JourneyPage;
import io.musubi.store.JourneyQuery;
import io.musubi.store.MergeRecord;
import io.musubi.store.UnknownCustomerException;
import io.musubi.model.Address;
import io.musubi.model.Attachment;
import io.musubi.model.Customer;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one customer's export (format {@value #FORMAT}, described in docs/history.md): the customer, the
 * customers merged into it, the merge records, the interactions and every event, streamed page by page so a long
 * history does not sit in memory.
 */
final class CustomerExport {

    static final String FORMAT = "musubi.customer-export/1";
    private static final int PAGE = 500;

    private final Database db;
    private final JdbcHistoryStore store;
    private final JdbcCustomerRepository customers;

    CustomerExport(Database db, JdbcHistoryStore store, JdbcCustomerRepository customers) {
        this.db = db;
        this.store = store;
        this.customers = customers;
    }

    void write(String tenantId, String customerId, OutputStream out) throws IOException {
        record Head(Customer customer, List<String> group, boolean erased, List<Interaction> interactions) {
        }
        Head head = db.read(c -> {
            List<String> group = customers.groupOf(c, tenantId, customerId);
            if (group.isEmpty()) {
                throw new UnknownCustomerException(tenantId, customerId);
            }
            Customer customer = customers.view(c, tenantId, group.get(0)).orElseThrow();
            List<Interaction> interactions = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM interactions WHERE tenant_id = ? AND customer_id = ? ORDER BY created_at, id")) {
                for (String id : group) {
                    ps.setString(1, tenantId);
                    ps.setString(2, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            interactions.add(store.readInteraction(rs));
                        }
                    }
                }
            }
            interactions.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
            return new Head(customer, group, customers.erased(c, tenantId, group.get(0)), interactions);
        });
        List<MergeRecord> merges = customers.merges(tenantId, customerId);

        JsonGenerator g = db.json().getFactory().createGenerator(out, JsonEncoding.UTF8);
        g.useDefaultPrettyPrinter();
        g.writeStartObject();
        g.writeStringField("format", FORMAT);
        g.writeStringField("exportedAt", db.now().toString());
        g.writeStringField("tenantId", tenantId);

        Customer customer = head.customer();
        g.writeObjectFieldStart("customer");
        g.writeStringField("id", customer.id());
        g.writeStringField("displayName", customer.displayName());
        g.writeBooleanField("erased", head.erased());
        g.writeArrayFieldStart("addresses");
        for (Address a : customer.addresses()) {
            g.writeString(a.uri());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("tags");
        for (String t : customer.tags()) {
            g.writeString(t);
        }
        g.writeEndArray();
        stringMap(g, "externalRefs", customer.externalRefs());
        g.writeArrayFieldStart("mergedCustomerIds");
        for (String id : head.group().subList(1, head.group().size())) {
            g.writeString(id);
        }
        g.writeEndArray();
        g.writeEndObject();

        g.writeArrayFieldStart("merges");
        for (MergeRecord m : merges) {
            g.writeStartObject();
            g.writeStringField("id", m.id());
            g.writeStringField("survivorId", m.survivorId());
            g.writeStringField("mergedId", m.mergedId());
            g.writeStringField("mergedAt", m.mergedAt().toString());
            g.writeStringField("mergedBy", m.mergedBy());
            instantField(g, "splitAt", m.splitAt());
            if (m.splitBy() != null) {
                g.writeStringField("splitBy", m.splitBy());
            }
            g.writeEndObject();
        }
        g.writeEndArray();

        g.writeArrayFieldStart("interactions");
        for (Interaction x : head.interactions()) {
            g.writeStartObject();
            g.writeStringField("id", x.id());
            g.writeStringField("channel", x.channel().name());
            g.writeStringField("customerId", x.customerId());
            g.writeStringField("from", x.from().uri());
            if (x.to() != null) {
                g.writeStringField("to", x.to().uri());
            }
            g.writeStringField("threadKey", x.threadKey());
            g.writeStringField("queueId", x.queueId());
            g.writeNumberField("priority", x.priority());
            g.writeStringField("state", x.state().name());
            g.writeStringField("createdAt", x.createdAt().toString());
            g.writeStringField("updatedAt", x.updatedAt().toString());
            g.writeStringField("agentId", x.agentId());
            g.writeStringField("disposition", x.disposition());
            stringMap(g, "attributes", x.attributes());
            g.writeEndObject();
        }
        g.writeEndArray();

        g.writeArrayFieldStart("events");
        JourneyQuery q = JourneyQuery.of(tenantId, customerId).withLimit(PAGE);
        JourneyPage page;
        do {
            page = store.journey(q);
            for (InteractionEvent e : page.events()) {
                event(g, e);
            }
            q = q.after(page.nextCursor());
        } while (page.hasMore());
        g.writeEndArray();
        g.writeEndObject();
        g.flush();
    }

    private static void event(JsonGenerator g, InteractionEvent e) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", e.id());
        g.writeStringField("interactionId", e.interactionId());
        g.writeStringField("customerId", e.customerId());
        g.writeStringField("channel", e.channel().name());
        g.writeStringField("type", e.type().name());
        g.writeStringField("timestamp", e.timestamp().toString());
        g.writeStringField("actor", e.actor());
        stringMap(g, "attributes", e.attributes());
        if (e.content() != null) {
            g.writeObjectFieldStart("content");
            g.writeStringField("text", e.content().text());
            g.writeArrayFieldStart("attachments");
            for (Attachment a : e.content().attachments()) {
                g.writeStartObject();
                g.writeStringField("ref", a.ref());
                g.writeStringField("mediaType", a.mediaType());
                g.writeStringField("name", a.name());
                g.writeNumberField("size", a.size());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void stringMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void instantField(JsonGenerator g, String field, Instant t) throws IOException {
        if (t != null) {
            g.writeStringField(field, t.toString());
        }
    }
}
