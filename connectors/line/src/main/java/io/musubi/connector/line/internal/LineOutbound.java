package io.musubi.connector.line.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.time.Instant;
import java.util.Objects;

/**
 * What one outbound message becomes for LINE: the message objects (at most five) and where they can go — by the reply
 * token while it is valid, else by push to the chat, with a retry key derived from the hub's message id.
 *
 * @param to                 the chat to push to (a user, group or room id)
 * @param replyToken         the conversation's latest reply token, or null
 * @param replyTokenExpires  when that token stops being valid, or null
 * @param messages           LINE message objects ({@code [{"type":"text","text":...}]})
 * @param retryKey           the {@code X-Line-Retry-Key} of the push: a name-based UUID of the message id, so every
 *                           retry of the same message carries the same key
 */
record LineOutbound(String to, String replyToken, Instant replyTokenExpires, ArrayNode messages, String retryKey) {

    LineOutbound {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(retryKey, "retryKey");
    }

    @Override
    public String toString() {
        return "LineOutbound[" + messages.size() + " messages, reply token " + (replyToken == null ? "none" : "set")
                + ", retryKey=" + retryKey + "]";
    }
}
