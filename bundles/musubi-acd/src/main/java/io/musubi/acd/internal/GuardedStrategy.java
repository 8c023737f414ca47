package io.musubi.acd.internal;

import io.musubi.acd.spi.AgentCandidate;
import io.musubi.acd.spi.RoutingRequest;
import io.musubi.acd.spi.RoutingStrategy;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * A plugged-in {@link RoutingStrategy} behind a guard, since it runs under the engine's lock: an exception falls back
 * to the longest-idle candidate (counted, logged once), and each choice is timed against a budget; a strategy that
 * overruns it several choices in a row is disabled (logged as an ERROR) and its queues route longest-idle until it is
 * registered again. A strategy that never returns is not stopped (it runs on the caller's thread): the budget bounds
 * how many slow choices are made, not one choice. No lock of its own: only touched under the engine's lock.
 */
final class GuardedStrategy {
    private static final System.Logger LOG = System.getLogger(GuardedStrategy.class.getName());

    final RoutingStrategy strategy;
    private final long budgetNanos;
    private final int overrunLimit;
    private final LongSupplier nanoTime;
    private long failures;
    private long overruns;
    private int overrunsInARow;
    private boolean disabled;
    private boolean failureLogged;

    GuardedStrategy(RoutingStrategy strategy, long budgetNanos, int overrunLimit, LongSupplier nanoTime) {
        this.strategy = strategy;
        this.budgetNanos = budgetNanos;
        this.overrunLimit = overrunLimit;
        this.nanoTime = nanoTime;
    }

    boolean disabled() {
        return disabled;
    }

    long failures() {
        return failures;
    }

    long overruns() {
        return overruns;
    }

    /**
     * The strategy's choice among {@code candidates} (longest idle first), or the first candidate when it throws;
     * {@code null} when it chose nobody.
     */
    String select(RoutingRequest request, List<AgentCandidate> candidates) {
        long start = nanoTime.getAsLong();
        String chosen;
        try {
            chosen = strategy.select(request, candidates);
        } catch (RuntimeException e) {
            failures++;
            if (!failureLogged) {
                failureLogged = true;
                LOG.log(System.Logger.Level.WARNING, "routing strategy " + strategy.name() + " failed; its choice is "
                        + "made longest-idle (logged once, failures are counted)", e);
            }
            chosen = candidates.get(0).agentId();
        }
        long took = nanoTime.getAsLong() - start;
        if (took > budgetNanos) {
            overruns++;
            if (++overrunsInARow >= overrunLimit) {
                disabled = true;
                LOG.log(System.Logger.Level.ERROR, "routing strategy " + strategy.name() + " took more than "
                        + budgetNanos / 1000 + " µs per choice " + overrunsInARow + " times in a row (last "
                        + took / 1000 + " µs): disabled, its queues route longest-idle until it is registered again");
            }
        } else {
            overrunsInARow = 0;
        }
        return chosen;
    }
}
