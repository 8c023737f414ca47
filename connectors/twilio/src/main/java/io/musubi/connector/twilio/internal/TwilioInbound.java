package io.musubi.connector.twilio.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One authenticated Twilio webhook as the mapper reads it: either a form webhook (an incoming message, a status
 * callback) or a JSON one (an Event Streams batch), with the query parameters of the URL Twilio called and the time
 * the hub received it (Twilio's form webhooks carry no time of their own).
 *
 * @param form       the form parameters, or null for a JSON webhook
 * @param json       the parsed JSON body, or null for a form webhook
 * @param query      the URL's query parameters, decoded
 * @param receivedAt when the hub received the request
 */
record TwilioInbound(FormBody form, JsonNode json, Map<String, String> query, Instant receivedAt) {

    TwilioInbound {
        if ((form == null) == (json == null)) {
            throw new IllegalArgumentException("exactly one of form and json");
        }
        query = Map.copyOf(query);
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    static TwilioInbound form(FormBody form, Map<String, String> query, Instant receivedAt) {
        return new TwilioInbound(form, null, query, receivedAt);
    }

    static TwilioInbound json(JsonNode json, Map<String, String> query, Instant receivedAt) {
        return new TwilioInbound(null, json, query, receivedAt);
    }

    @Override
    public String toString() {
        return "TwilioInbound[" + (form != null ? form : "json") + "]";
    }
}
