package io.musubi.acd.spi;

import io.musubi.model.Channel;

import java.time.Duration;
import java.util.Map;

/** The interaction a {@link RoutingStrategy} places. */
public record RoutingRequest(String interactionId, Channel channel, String queueId, String customerId,
                             int priority, boolean vip, Duration waited, Map<String, String> attributes) {
}
