package io.musubi.store;

import java.util.List;

/**
 * One page of a subscription's delivery log, newest first.
 *
 * @param items      the deliveries
 * @param nextCursor the opaque cursor of the next (older) page, or null on the last page
 */
public record WebhookDeliveryPage(List<WebhookDelivery> items, String nextCursor) {
    public WebhookDeliveryPage {
        items = List.copyOf(items);
    }
}
