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
 * @param strategyBudget   the time a plugged-in {@link io.musubi.acd.spi.RoutingStrategy} may take per choice
 * @param strategyOverruns how many choices in a row over the budget disable a plugged-in strategy (its queues then
 *                         route longest-idle)
 */
public record AcdConfig(String tenantId, ChannelRules channelRules, Set<String> awayReasons, Duration stickyRetention,
                        Duration strategyBudget, int strategyOverruns) {
    public AcdConfig {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(channelRules, "channelRules");
        awayReasons = Set.copyOf(awayReasons);
        Objects.requireNonNull(stickyRetention, "stickyRetention");
        Objects.requireNonNull(strategyBudget, "strategyBudget");
        if (strategyBudget.isNegative() || strategyBudget.isZero() || strategyOverruns < 1) {
            throw new IllegalArgumentException("strategyBudget must be positive and strategyOverruns at least 1");
        }
    }

    public static AcdConfig defaults() {
        return new AcdConfig("default", ChannelRules.defaults(), Set.of(), Duration.ofDays(7), Duration.ofMillis(10),
                3);
    }

    public AcdConfig withTenant(String tenant) {
        return new AcdConfig(tenant, channelRules, awayReasons, stickyRetention, strategyBudget, strategyOverruns);
    }

    public AcdConfig withChannelRules(ChannelRules rules) {
        return new AcdConfig(tenantId, rules, awayReasons, stickyRetention, strategyBudget, strategyOverruns);
    }

    public AcdConfig withAwayReasons(Set<String> reasons) {
        return new AcdConfig(tenantId, channelRules, reasons, stickyRetention, strategyBudget, strategyOverruns);
    }

    /** The time budget of a plugged-in strategy per choice, and how many overruns in a row disable it. */
    public AcdConfig withStrategyBudget(Duration budget, int overrunsInARow) {
        return new AcdConfig(tenantId, channelRules, awayReasons, stickyRetention, budget, overrunsInARow);
    }
}
