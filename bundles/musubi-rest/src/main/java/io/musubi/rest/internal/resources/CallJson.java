package io.musubi.rest.internal.resources;

import java.util.regex.Pattern;

/** The JSON shapes of call control. */
final class CallJson {

    /** A number or an extension: digits, an optional leading {@code +}, {@code *} and {@code #}. */
    static final Pattern DESTINATION = Pattern.compile("\\+?[0-9*#]{1,32}");

    private CallJson() {
    }

    /**
     * @param target an extension or a number of the PBX (not an agent of the hub: use the interaction's transfer)
     * @param mode   {@code blind} (default) or {@code attended}
     */
    record Transfer(String target, String mode) {
    }

    /**
     * @param mode      {@code listen}, {@code whisper} or {@code barge}
     * @param extension the supervisor's phone extension
     */
    record Monitor(String mode, String extension) {
    }

    /**
     * @param to          the number or extension to call
     * @param name        the name shown on the agent's phone, optional (letters, digits, spaces and . _ ' -; else
     *                    not shown)
     * @param connectorId the voice connector, when several serve the tenant
     */
    record Dial(String to, String name, String connectorId) {
    }

    /** An operation the PBX accepted; what follows is recorded on the interaction as it happens. */
    record Requested(String interactionId, String operation) {
    }

    /**
     * A click-to-dial call the PBX accepted: it rings the agent's phone first; the interaction that records it (thread
     * key {@code callId}) appears on the event stream.
     */
    record Dialled(String callId, String agentId, String connectorId) {
    }

    /** A destination a caller gave: 400 naming the field unless it is one. */
    static String destination(String value, String field) {
        String v = value == null ? "" : value.replace(" ", "").replace("-", "");
        if (!DESTINATION.matcher(v).matches()) {
            throw new jakarta.ws.rs.BadRequestException(field + " is required: a number or an extension (digits, an "
                    + "optional leading +, * and #; at most 32)");
        }
        return v;
    }
}
