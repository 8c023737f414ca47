package io.musubi.spi;

/**
 * The two checks every signed webhook makes before it verifies a signature, with the same answers and counts for every
 * connector: no signature header is 401, no key to verify it with is 403 (and health DOWN, saying why). Both count
 * the request as {@link ConnectorStatus#REJECTED}.
 */
public final class WebhookSignature {

    private WebhookSignature() {
    }

    /**
     * The signature the request presents in {@code header} (surrounding white space removed, as HTTP does).
     *
     * @throws WebhookRejectedException 401 when the header is missing or blank
     */
    public static String presented(WebhookRequest request, String header, ConnectorStatus status) {
        String value = request.header(header).map(String::strip).orElse("");
        if (value.isEmpty()) {
            status.increment(ConnectorStatus.REJECTED);
            throw WebhookRejectedException.missingSignature("no " + header + " header");
        }
        return value;
    }

    /**
     * The key to verify signatures with: without it nothing can be verified.
     *
     * @param what the key's name for health and the answer, e.g. {@code channel secret}
     * @throws WebhookRejectedException 403 when it is not available; health is then DOWN with the
     *                                  {@link SecretSource#problem() reason}
     */
    public static byte[] key(SecretSource secret, String what, ConnectorStatus status) {
        byte[] key = secret.bytes().orElse(null);
        if (key == null) {
            status.down(what + " not available: " + secret.problem());
            status.increment(ConnectorStatus.REJECTED);
            throw WebhookRejectedException.badSignature("the " + what + " is not available");
        }
        return key;
    }
}
