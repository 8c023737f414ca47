package io.musubi.spi;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One ephemeral signal between the agent handling an interaction and the customer's open client (see
 * {@link LiveChannel}): a typing indicator, a WebRTC session description or ICE candidate, a hang-up, an invitation
 * to upgrade a chat to video. Signals are relayed, never recorded in the history and never logged with their data.
 *
 * @param type          what it is: 1–32 of lower-case letters, digits, {@code .}, {@code _} and {@code -}, starting
 *                      with a letter ({@code typing}, {@code rtc.offer}, {@code rtc.answer}, {@code rtc.candidate},
 *                      {@code rtc.hangup}, {@code rtc.config}, {@code video.invite}, ...)
 * @param interactionId the interaction it belongs to, or empty when it concerns the customer's whole session (the
 *                      customer typing); set by the hub on what an agent sends
 * @param data          a JSON text of at most {@value #MAX_DATA} characters, opaque to the hub; {@code {}} when there is
 *                      nothing to say
 */
public record LiveSignal(String type, String interactionId, String data) {

    /** Longest {@link #data()}, in characters: an SDP offer with many candidates stays well below it. */
    public static final int MAX_DATA = 16 * 1024;

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9._-]{0,31}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{0,128}");

    public LiveSignal {
        Objects.requireNonNull(type, "type");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("signal type must be 1-32 of a-z, 0-9, '.', '_', '-', starting with a "
                    + "letter");
        }
        interactionId = interactionId == null ? "" : interactionId;
        if (!ID.matcher(interactionId).matches()) {
            throw new IllegalArgumentException("signal interactionId is not an interaction id");
        }
        data = data == null || data.isBlank() ? "{}" : data;
        if (data.length() > MAX_DATA) {
            throw new IllegalArgumentException("signal data is longer than " + MAX_DATA + " characters");
        }
    }

    /** The same signal, tied to an interaction. */
    public LiveSignal forInteraction(String id) {
        return new LiveSignal(type, id, data);
    }

    /** Whether a subscriber following {@code id} should see it: it names that interaction, or none. */
    public boolean concerns(String id) {
        return interactionId.isEmpty() || interactionId.equals(id);
    }

    @Override
    public String toString() {
        return "LiveSignal[type=" + type + ", interactionId=" + interactionId + ", data=" + data.length() + " chars]";
    }
}
