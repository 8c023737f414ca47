package io.musubi.connector.twilio.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request to Twilio's Messages API ({@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json}), as the mapper
 * builds it from an outbound message: exactly one of {@code from} and {@code messagingServiceSid}.
 *
 * @param to                  the recipient, E.164
 * @param from                the sending number, or empty when a Messaging Service chooses it
 * @param messagingServiceSid the Messaging Service, or empty
 * @param body                the text
 * @param statusCallback      where Twilio reports the statuses, or empty for none
 */
record OutboundRequest(String to, String from, String messagingServiceSid, String body, String statusCallback) {

    OutboundRequest {
        Objects.requireNonNull(to, "to");
        from = from == null ? "" : from;
        messagingServiceSid = messagingServiceSid == null ? "" : messagingServiceSid;
        if (from.isEmpty() == messagingServiceSid.isEmpty()) {
            throw new IllegalArgumentException("exactly one of from and messagingServiceSid");
        }
        Objects.requireNonNull(body, "body");
        statusCallback = statusCallback == null ? "" : statusCallback;
    }

    /** The form fields of the request, in the order sent. */
    List<Map.Entry<String, String>> formFields() {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        fields.add(Map.entry("To", to));
        if (!from.isEmpty()) {
            fields.add(Map.entry("From", from));
        } else {
            fields.add(Map.entry("MessagingServiceSid", messagingServiceSid));
        }
        fields.add(Map.entry("Body", body));
        if (!statusCallback.isEmpty()) {
            fields.add(Map.entry("StatusCallback", statusCallback));
        }
        return fields;
    }

    @Override
    public String toString() {
        // Never the numbers or the text: they are PII.
        return "OutboundRequest[" + body.length() + " chars, " + (from.isEmpty() ? "messaging service" : "from number")
                + (statusCallback.isEmpty() ? "" : ", status callback") + "]";
    }
}
