package io.musubi.hub.definitions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.musubi.model.InvalidInputException;
import io.musubi.store.DefinitionRepository.Definition;

/**
 * How definitions are kept in the store ({@code acd_definitions.body}): the JSON of their form ({@link AgentForm},
 * {@link QueueForm}, a channel-menu entry point), at most {@value #MAX_STORED} characters.
 */
public final class StoredForms {

    /** The longest definition the store keeps, as JSON. */
    public static final int MAX_STORED = 65_536;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private StoredForms() {
    }

    /** A stored definition's JSON body as {@code type}. */
    public static <T> T read(Definition d, Class<T> type) {
        try {
            return MAPPER.readValue(d.body(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored " + d.kind() + " definition " + d.id(), e);
        }
    }

    /** A form as the JSON the store keeps; one over {@value #MAX_STORED} characters is refused (a 400 problem). */
    public static String write(Object form) {
        String json;
        try {
            json = MAPPER.writeValueAsString(form);
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
