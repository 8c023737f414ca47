package io.musubi.hub.internal.menu;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.acd.QueueStatistics;
import io.musubi.hub.menu.ChannelMenuPolicy.OptionState;
import io.musubi.hub.menu.ExpectedWait;
import io.musubi.model.Channel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LiveChannelMenuPolicyTest {

    private static final Duration AHT = Duration.ofSeconds(120);

    @Test
    void expectedWaitComesFromTheLiveStatistics() {
        assertThat(ExpectedWait.of(stats(true, 0, 1, 0, AHT))).isEqualTo(Duration.ZERO);
        assertThat(ExpectedWait.of(stats(true, 3, 1, 1, AHT))).isEqualTo(Duration.ofSeconds(180));
        assertThat(ExpectedWait.of(stats(true, 2, 0, 2, Duration.ZERO)))
                .isEqualTo(ExpectedWait.DEFAULT_HANDLE_TIME.multipliedBy(3).dividedBy(2));
        assertThat(ExpectedWait.of(stats(true, 2, 0, 0, AHT))).isNull();
        assertThat(ExpectedWait.of(stats(false, 0, 3, 0, AHT))).isNull();
    }

    @Test
    void aLiveChannelIsOpenOnlyWithAnAgentStaffed() {
        QueueStatistics unstaffed = stats(true, 2, 0, 0, AHT);
        QueueStatistics busy = stats(true, 2, 0, 1, AHT);

        for (Channel live : new Channel[] {Channel.VOICE, Channel.VIDEO, Channel.WEBCHAT}) {
            assertThat(LiveChannelMenuPolicy.isOpen(unstaffed, live, false)).as(live.name()).isFalse();
            assertThat(LiveChannelMenuPolicy.isOpen(busy, live, false)).as(live.name()).isTrue();
        }
    }

    @Test
    void aDeferredChannelOrACallBackIsOpenWhileItsQueueIs() {
        QueueStatistics unstaffed = stats(true, 2, 0, 0, AHT);
        QueueStatistics closed = stats(false, 0, 3, 0, AHT);

        assertThat(LiveChannelMenuPolicy.isOpen(unstaffed, Channel.LINE, false)).isTrue();
        assertThat(LiveChannelMenuPolicy.isOpen(unstaffed, Channel.VOICE, true)).as("call-back").isTrue();
        assertThat(LiveChannelMenuPolicy.isOpen(closed, Channel.LINE, false)).isFalse();
        assertThat(LiveChannelMenuPolicy.isOpen(closed, Channel.VOICE, true)).as("call-back").isFalse();
    }

    @Test
    void theStateCarriesTheQueuesNumbers() {
        OptionState state = LiveChannelMenuPolicy.state(stats(true, 3, 1, 1, AHT), Channel.WEBCHAT, false);

        assertThat(state).isEqualTo(new OptionState(true, Duration.ofSeconds(180), 1, 3));
    }

    private static QueueStatistics stats(boolean open, int waiting, int available, int busy, Duration aht) {
        return new QueueStatistics("t/q", open, waiting, Duration.ZERO, available, busy, 0, 0, 0, 0, 0, 100,
                Duration.ZERO, aht);
    }
}
