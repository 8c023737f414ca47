package io.musubi.spi;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What the webhook intake answers the provider.
 *
 * @param status      HTTP status
 * @param contentType the body's content type, or empty for no body
 * @param body        the body bytes
 */
public record WebhookResponse(int status, String contentType, byte[] body) {

    public WebhookResponse {
        contentType = contentType == null ? "" : contentType;
        body = body == null ? new byte[0] : body;
    }

    public static WebhookResponse ok() {
        return new WebhookResponse(200, "", new byte[0]);
    }

    public static WebhookResponse status(int status) {
        return new WebhookResponse(status, "", new byte[0]);
    }

    public static WebhookResponse text(int status, String contentType, String body) {
        Objects.requireNonNull(body, "body");
        return new WebhookResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An {@code application/problem+json} answer ({@code type} {@code about:blank}), e.g. 503 "Service Unavailable"
     * when what a webhook must queue could not be queued: the provider delivers again.
     */
    public static WebhookResponse problem(int status, String title, String detail) {
        return text(status, "application/problem+json", "{\"type\":\"about:blank\",\"title\":\"" + json(title)
                + "\",\"status\":" + status + ",\"detail\":\"" + json(detail) + "\"}");
    }

    private static String json(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "WebhookResponse[" + status + ", " + body.length + " bytes]";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
