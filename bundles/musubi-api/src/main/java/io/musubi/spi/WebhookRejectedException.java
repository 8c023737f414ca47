package io.musubi.spi;

/**
 * A webhook request that does not come from the provider: {@link #missing()} signature → 401, a wrong one → 403.
 * Nothing of the request is processed or logged but its path and size. The message never carries the signature,
 * the secret or the body.
 */
public class WebhookRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean missing;

    private WebhookRejectedException(boolean missing, String message) {
        super(message);
        this.missing = missing;
    }

    /** No signature (or no credential) at all: 401. */
    public static WebhookRejectedException missingSignature(String message) {
        return new WebhookRejectedException(true, message);
    }

    /** A signature that does not verify (forged, truncated, for another body or secret): 403. */
    public static WebhookRejectedException badSignature(String message) {
        return new WebhookRejectedException(false, message);
    }

    public boolean missing() {
        return missing;
    }

    /** 401 when missing, else 403. */
    public int httpStatus() {
        return missing ? 401 : 403;
    }
}
