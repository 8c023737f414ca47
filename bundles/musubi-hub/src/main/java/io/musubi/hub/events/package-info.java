/**
 * The hub's events for clients (docs/events.md): the live {@link io.musubi.hub.events.EventStream} with
 * {@code Last-Event-ID} resume, its {@link io.musubi.hub.events.EventFilter}, the API's
 * {@link io.musubi.hub.events.EventTypes}, and the tenants' outbound webhooks
 * ({@link io.musubi.hub.events.WebhookSubscriptions}), delivered durably by the hub.
 */
package io.musubi.hub.events;
