package io.musubi.store.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.musubi.store.HistoryException;
import io.musubi.model.Attachment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON columns: attribute maps and attachment lists. */
final class Codec {

    private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper json;

    Codec(ObjectMapper json) {
        this.json = json;
    }

    /** Null for an empty map, so most rows carry no JSON at all. */
    String attributes(Map<String, String> attributes) {
        if (attributes.isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(new TreeMap<>(attributes));
        } catch (JsonProcessingException e) {
            throw new HistoryException("encoding attributes failed");
        }
    }

    Map<String, String> attributes(String stored) {
        if (stored == null || stored.isEmpty()) {
            return Map.of();
        }
        try {
            return json.readValue(stored, MAP);
        } catch (JsonProcessingException e) {
            throw new HistoryException("stored attributes are not valid JSON");
        }
    }

    String attachments(List<Attachment> attachments) {
        if (attachments.isEmpty()) {
            return null;
        }
        ArrayNode array = json.createArrayNode();
        for (Attachment a : attachments) {
            ObjectNode o = array.addObject();
            o.put("ref", a.ref());
            o.put("mediaType", a.mediaType());
            o.put("name", a.name());
            o.put("size", a.size());
        }
        return array.toString();
    }

    List<Attachment> attachments(String stored) {
        if (stored == null || stored.isEmpty()) {
            return List.of();
        }
        try {
            List<Attachment> out = new ArrayList<>();
            for (JsonNode n : json.readTree(stored)) {
                out.add(new Attachment(n.path("ref").asText(), n.path("mediaType").asText(),
                        n.path("name").asText(""), n.path("size").asLong(-1)));
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new HistoryException("stored attachments are not valid JSON");
        }
    }
}
