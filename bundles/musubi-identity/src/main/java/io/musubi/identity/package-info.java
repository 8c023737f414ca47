/**
 * Customer identity (DESIGN §7.1): who is behind an address. {@link io.musubi.identity.IdentityService} normalises
 * channel addresses ({@link io.musubi.identity.AddressNormalizer}), resolves or creates customers by exact match,
 * links addresses, merges and splits customers, keeps VIP/tags and CRM references, and runs
 * {@link io.musubi.identity.EnrichmentHook}s (the CRM connector) on arrival. Every operation is tenant-scoped;
 * addresses are never logged in clear.
 */
package io.musubi.identity;
