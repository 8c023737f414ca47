package io.musubi.connector.line.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The LINE fixtures of ../shared/fixtures/line (copied to the test resources): exact bytes and the manifest. */
final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = manifest().path("channelSecret").asText();

    private Fixtures() {
    }

    /** The exact bytes of a webhook body file (no trailing newline). */
    static byte[] body(String file) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/webhook-events/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode manifest() {
        return json("/fixtures/webhook-events/_manifest.json");
    }

    /** The X-Line-Signature the manifest gives for a file. */
    static String signature(String file) {
        for (JsonNode f : manifest().path("files")) {
            if (f.path("file").asText().equals(file)) {
                return f.path("signature").asText();
            }
        }
        throw new IllegalArgumentException("no manifest entry for " + file);
    }

    static JsonNode vectors() {
        return json("/fixtures/signature-vectors.json");
    }

    static JsonNode json(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
