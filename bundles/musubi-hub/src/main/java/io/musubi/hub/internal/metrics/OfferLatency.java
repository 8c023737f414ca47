package io.musubi.hub.internal.metrics;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.AcdListener;
import io.musubi.api.LatencyHistogram;
import io.musubi.api.MetricSource;
import io.musubi.api.MetricWriter;
import io.musubi.model.Channel;
import io.musubi.model.InteractionEvent;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Arrival → first offer, per channel: for the first OFFERED of each interaction, the time from the interaction's
 * arrival ({@code createdAt}: when the hub received the API request, the webhook, the file; for e-mail the mail
 * server's receipt time, for LINE the provider's event time) to the offer (the engine's clock). It includes the time
 * the contact waited for a free agent. Re-offers (after a reject, a timeout, a transfer) are not counted again. An
 * {@link AcdListener}: nothing in the ingress or the engine is touched. Interactions offered and not yet ended are
 * remembered (their ids, at most {@value #MAX_TRACKED}; past that the memory starts over, and an interaction
 * re-offered later may count twice).
 */
@Component(service = MetricSource.class, immediate = true)
public final class OfferLatency implements AcdListener, MetricSource {

    static final int MAX_TRACKED = 200_000;

    private final AcdEngine acd;
    private final Map<Channel, LatencyHistogram> byChannel = new ConcurrentHashMap<>();
    /** Interactions offered at least once and not yet ended. */
    private final Set<String> offered = ConcurrentHashMap.newKeySet();

    @Activate
    public OfferLatency(@Reference AcdEngine acd) {
        this.acd = acd;
        acd.addListener(this);
    }

    @Deactivate
    void deactivate() {
        acd.removeListener(this);
    }

    @Override
    public void onInteractionEvent(InteractionEvent e) {
        switch (e.type()) {
            case OFFERED -> {
                if (offered.size() >= MAX_TRACKED) {
                    offered.clear();
                }
                if (offered.add(e.interactionId())) {
                    acd.interaction(e.interactionId()).ifPresent(i -> byChannel
                            .computeIfAbsent(e.channel(), c -> new LatencyHistogram(LatencyHistogram.WAIT_BOUNDS))
                            .recordMillis(e.timestamp().toEpochMilli() - i.createdAt().toEpochMilli()));
                }
            }
            case ENDED, ABANDONED -> offered.remove(e.interactionId());
            default -> {
            }
        }
    }

    @Override
    public void collect(MetricWriter out) {
        byChannel.forEach((channel, h) -> out.histogram("musubi_acd_offer_latency_seconds", "From an interaction's "
                + "arrival to its first offer to an agent (waiting for a free agent included), by channel",
                Map.of("channel", channel.name()), h.snapshot()));
    }
}
