package io.musubi.model;

import java.util.List;
import java.util.Objects;

/**
 * What a customer or an agent said: text (may be empty) and attachments by reference.
 * {@link #toString()} never prints the text: message content is PII.
 */
public record MessageContent(String text, List<Attachment> attachments) {
    public MessageContent {
        text = text == null ? "" : text;
        attachments = List.copyOf(Objects.requireNonNull(attachments, "attachments"));
    }

    public static MessageContent text(String text) {
        return new MessageContent(text, List.of());
    }

    @Override
    public String toString() {
        return "MessageContent[text=" + text.length() + " chars, attachments=" + attachments.size() + "]";
    }
}
