package io.musubi.acd;

import io.musubi.model.Channel;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Cross-channel rules of the engine (DESIGN §5.2): which channels a channel blocks while an interaction on it is in
 * progress (from the offer until its capacity is released after wrap-up), and which channels carry interruptible work.
 *
 * <p>Defaults: VOICE and VIDEO block every other channel; EMAIL and FAX are interruptible — a blocking
 * channel may still be offered to an agent working on them (their shared-capacity cost does not count against
 * it) and they are set aside (HELD, reason {@code set-aside}) while the blocking interaction is connected.
 */
public final class ChannelRules {

    private final Map<Channel, Set<Channel>> blocks;
    private final Set<Channel> interruptible;

    private ChannelRules(Map<Channel, Set<Channel>> blocks, Set<Channel> interruptible) {
        this.blocks = blocks;
        this.interruptible = interruptible;
    }

    public static ChannelRules defaults() {
        Map<Channel, Set<Channel>> b = new EnumMap<>(Channel.class);
        b.put(Channel.VOICE, EnumSet.complementOf(EnumSet.of(Channel.VOICE)));
        b.put(Channel.VIDEO, EnumSet.complementOf(EnumSet.of(Channel.VIDEO)));
        return new ChannelRules(freeze(b), EnumSet.of(Channel.EMAIL, Channel.FAX));
    }

    /** No channel blocks another, nothing is interruptible. */
    public static ChannelRules none() {
        return new ChannelRules(Map.of(), EnumSet.noneOf(Channel.class));
    }

    /** A copy in which {@code channel} blocks exactly {@code blocked} (empty: blocks nothing). */
    public ChannelRules withBlocks(Channel channel, Set<Channel> blocked) {
        Map<Channel, Set<Channel>> b = new EnumMap<>(Channel.class);
        b.putAll(blocks);
        b.put(Objects.requireNonNull(channel), blocked.isEmpty() ? EnumSet.noneOf(Channel.class) : EnumSet.copyOf(blocked));
        return new ChannelRules(freeze(b), interruptible);
    }

    public ChannelRules withInterruptible(Set<Channel> channels) {
        return new ChannelRules(blocks, channels.isEmpty() ? EnumSet.noneOf(Channel.class) : EnumSet.copyOf(channels));
    }

    /** The channels not offered while an interaction on {@code channel} is in progress. */
    public Set<Channel> blockedBy(Channel channel) {
        return blocks.getOrDefault(channel, Set.of());
    }

    public boolean blocksOthers(Channel channel) {
        return !blockedBy(channel).isEmpty();
    }

    public boolean isInterruptible(Channel channel) {
        return interruptible.contains(channel);
    }

    private static Map<Channel, Set<Channel>> freeze(Map<Channel, Set<Channel>> m) {
        Map<Channel, Set<Channel>> out = new EnumMap<>(Channel.class);
        m.forEach((k, v) -> out.put(k, java.util.Collections.unmodifiableSet(EnumSet.copyOf(v.isEmpty() ? EnumSet.noneOf(Channel.class) : v))));
        return java.util.Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "ChannelRules[blocks=" + blocks + ", interruptible=" + interruptible + "]";
    }
}
