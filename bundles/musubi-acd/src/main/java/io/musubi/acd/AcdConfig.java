package io.musubi.acd;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Engine-wide settings.
 *
 * @param tenantId         the engine's own tenant: of unscoped agent and queue ids ({@code hanako} rather than
 *                         {@code acme/hanako}, see {@link io.musubi.model.ScopedId}) and of their presence events
 * @param channelRules     cross-channel blocking and interruptible work
 * @param awayReasons      allowed reason codes for the not-routable logged-in states; empty: any reason
 * @param stickyRetention  how long last-agent records are kept at most (queues apply their own, shorter TTL)
 */
public record AcdConfig(String tenantId, ChannelRules channelRules, Set<String> awayReasons, Duration stickyRetention) {
    public AcdConfig {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(channelRules, "channelRules");
        awayReasons = Set.copyOf(awayReasons);
        Objects.requireNonNull(stickyRetention, "stickyRetention");
    }

    public static AcdConfig defaults() {
        return new AcdConfig("default", ChannelRules.defaults(), Set.of(), Duration.ofDays(7));
    }

    public AcdConfig withTenant(String tenant) {
        return new AcdConfig(tenant, channelRules, awayReasons, stickyRetention);
    }

    public AcdConfig withChannelRules(ChannelRules rules) {
        return new AcdConfig(tenantId, rules, awayReasons, stickyRetention);
    }

    public AcdConfig withAwayReasons(Set<String> reasons) {
        return new AcdConfig(tenantId, channelRules, reasons, stickyRetention);
    }
}
