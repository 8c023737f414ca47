package io.musubi.hub.internal.menu;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.QueueStatistics;
import io.musubi.hub.menu.ChannelMenuPolicy;
import io.musubi.hub.menu.ExpectedWait;
import io.musubi.model.Channel;
import io.musubi.model.ScopedId;
import java.util.EnumSet;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@link ChannelMenuPolicy} on the ACD's live queue statistics. */
@Component(service = ChannelMenuPolicy.class)
public final class LiveChannelMenuPolicy implements ChannelMenuPolicy {

    /** Channels answered while the customer waits: open only with an agent staffed. */
    static final Set<Channel> LIVE = EnumSet.of(Channel.VOICE, Channel.VIDEO, Channel.WEBCHAT);

    private final AcdEngine acd;

    @Activate
    public LiveChannelMenuPolicy(@Reference AcdEngine acd) {
        this.acd = acd;
    }

    @Override
    public OptionState option(String tenantId, String queueId, Channel channel, boolean callback) {
        return acd.queueStatistics(ScopedId.of(tenantId, queueId)).map(s -> state(s, channel, callback))
                .orElse(OptionState.CLOSED);
    }

    static OptionState state(QueueStatistics s, Channel channel, boolean callback) {
        return new OptionState(isOpen(s, channel, callback), ExpectedWait.of(s), s.agentsAvailable(), s.waiting());
    }

    static boolean isOpen(QueueStatistics s, Channel channel, boolean callback) {
        if (!s.open()) {
            return false;
        }
        boolean live = LIVE.contains(channel) && !callback;
        return !live || s.agentsAvailable() + s.agentsBusy() > 0;
    }
}
