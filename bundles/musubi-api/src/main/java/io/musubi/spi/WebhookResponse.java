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
