package io.musubi.hub.internal.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON of the API's events, written once per event for every stream and webhook: the REST API's conventions
 * (ISO-8601 instants, no nulls), so an event reads the same on the stream, in a webhook body and in the API.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private EventJson() {
    }

    /** The mapper (also to read events back in tests). Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
