package io.musubi.store;

/** Where a webhook delivery stands. */
public enum WebhookDeliveryStatus {
    /** Not delivered yet: due at its next attempt time. */
    PENDING,
    /** The receiver answered 2xx. */
    DELIVERED,
    /** Every attempt failed; no more attempts. */
    FAILED
}
