/**
 * The history store of Musubi (DESIGN §7.2): the API and SPI the hub's core, the ingress pipeline and the
 * identity service use, plus {@link io.musubi.store.jdbc.JdbcStore}, the JDBC implementation's entry point.
 *
 * <ul>
 *   <li>{@link io.musubi.store.HistoryStore}: append-only interaction events, current interaction state,
 *       the journey query, export and erasure of one customer, retention.</li>
 *   <li>{@link io.musubi.store.CustomerRepository}: the customers' current state (addresses, tags, CRM
 *       references, merges) that the identity service builds on.</li>
 *   <li>{@link io.musubi.store.IdempotencyRepository}: the persisted "provider event already processed" set
 *       the ingress pipeline de-duplicates with.</li>
 *   <li>{@link io.musubi.store.ApiKeyRepository}: the REST API's keys (only digests of their secrets).</li>
 *   <li>{@link io.musubi.store.WebhookRepository}: the outbound webhooks' subscriptions and durable delivery
 *       log that the REST bundle's dispatcher works through.</li>
 *   <li>{@link io.musubi.store.AcdStateRepository}: what the ACD rebuilds its state from after a restart (open
 *       interactions in queue order, agents' last presence, sticky records).</li>
 *   <li>{@link io.musubi.store.StoreTransactions}: one transaction across repositories (one commit, one flush).</li>
 * </ul>
 *
 * <p>Every operation is scoped to a tenant. Nothing in this package logs message text or addresses in clear.
 */
package io.musubi.store;
