package io.musubi.acd;

import java.time.Duration;
import java.util.Objects;

/**
 * Where an interaction goes when its queue's max wait is reached or the queue is closed (DESIGN §5.3).
 *
 * @param kind          queue, voicemail or call-back
 * @param queueId       target queue for {@link Kind#QUEUE}, else empty
 * @param callbackDelay for {@link Kind#CALLBACK}: when the call-back is placed after max wait
 *                      (on a closed queue it is placed at the next opening)
 */
public record OverflowTarget(Kind kind, String queueId, Duration callbackDelay) {

    public enum Kind { QUEUE, VOICEMAIL, CALLBACK }

    public OverflowTarget {
        Objects.requireNonNull(kind, "kind");
        queueId = queueId == null ? "" : queueId;
        callbackDelay = callbackDelay == null ? Duration.ZERO : callbackDelay;
        if (kind == Kind.QUEUE && queueId.isEmpty()) {
            throw new IllegalArgumentException("queue overflow needs a queue id");
        }
    }

    public static OverflowTarget queue(String queueId) {
        return new OverflowTarget(Kind.QUEUE, queueId, Duration.ZERO);
    }

    /** The interaction leaves the ACD with ENDED, attribute {@code outcome=voicemail}; the voice connector takes it. */
    public static OverflowTarget voicemail() {
        return new OverflowTarget(Kind.VOICEMAIL, "", Duration.ZERO);
    }

    public static OverflowTarget callback(Duration delay) {
        return new OverflowTarget(Kind.CALLBACK, "", delay);
    }
}
