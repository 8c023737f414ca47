package io.musubi.connector.line.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this connector did with each reply token (LINE: one use, within a minute). An interaction keeps only its latest
 * token, so a second reply in the same minute would present a used token: it goes by push instead. A reply attempt
 * whose outcome is unknown (a timeout, a 5xx) is remembered, so that when its retry finds the token used it is taken
 * as delivered rather than sent again by push. Bounded and in memory: after a restart the first use of an old token
 * simply fails over to push.
 */
final class ReplyTokens {

    private static final int MAX = 10_000;

    /** The message a token was tried for, and whether LINE confirmed it. */
    private record Use(String messageId, boolean confirmed, boolean uncertain) {
    }

    private final Map<String, Use> uses = new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Use> eldest) {
            return size() > MAX;
        }
    };

    /** Whether this message may try the token: nobody else tried it, or this message's own try was uncertain. */
    synchronized boolean mayUse(String token, String messageId) {
        Use use = uses.get(token);
        return use == null || (use.messageId().equals(messageId) && !use.confirmed());
    }

    /** The message tries the token now. */
    synchronized void attempting(String token, String messageId) {
        Use use = uses.get(token);
        if (use == null) {
            uses.put(token, new Use(messageId, false, false));
        }
    }

    /** LINE took the reply. */
    synchronized void confirmed(String token, String messageId) {
        uses.put(token, new Use(messageId, true, false));
    }

    /** The outcome is unknown: it may have been delivered. */
    synchronized void uncertain(String token, String messageId) {
        uses.put(token, new Use(messageId, false, true));
    }

    /** LINE did not process the try (429): anyone may try again. */
    synchronized void released(String token) {
        uses.remove(token);
    }

    /** LINE says the token is used or expired. */
    synchronized void spent(String token) {
        uses.put(token, new Use("", true, false));
    }

    /** Whether this message tried the token before with an unknown outcome. */
    synchronized boolean wasUncertainFor(String token, String messageId) {
        Use use = uses.get(token);
        return use != null && use.uncertain() && use.messageId().equals(messageId);
    }
}
