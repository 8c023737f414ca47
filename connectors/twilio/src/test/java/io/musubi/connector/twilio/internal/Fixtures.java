package io.musubi.connector.twilio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The provider fixtures (../shared/fixtures/twilio, copied into the test resources). */
final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String path) {
        try {
            return JSON.readTree(bytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The signature vectors' cases. */
    static List<JsonNode> vectors() {
        List<JsonNode> out = new ArrayList<>();
        json("signature-vectors.json").path("cases").forEach(out::add);
        return out;
    }

    /** A case's parameters as (name, value) pairs in wire order. */
    static List<Map.Entry<String, String>> params(JsonNode c) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        c.path("params").forEach(p -> out.add(Map.entry(p.get(0).asText(), p.get(1).asText())));
        return out;
    }

    /** The example webhook bodies' manifest entries. */
    static List<JsonNode> examples() {
        List<JsonNode> out = new ArrayList<>();
        json("sms-webhook-examples/_manifest.json").path("files").forEach(out::add);
        return out;
    }

    static String authToken() {
        return json("sms-webhook-examples/_manifest.json").path("authToken").asText();
    }
}
