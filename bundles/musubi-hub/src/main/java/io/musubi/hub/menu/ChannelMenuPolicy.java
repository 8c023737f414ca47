package io.musubi.hub.menu;

import io.musubi.model.Channel;
import java.time.Duration;

/**
 * What a channel menu may show (design point ③): for an option of an entry point, a channel reached through a queue
 * (or a call-back into it), whether it is open now and what a new contact would wait, from the queue's live
 * statistics. The admin and public channel-menu resources show what this answers.
 *
 * <p>A live channel (voice, video, web chat) is open when its queue is open and has an agent staffed; a deferred one
 * (LINE, mail, SMS, FAX, social) is open while its queue is open, since it is answered later anyway; a call-back
 * option while its queue is open. A queue the tenant does not have is closed.
 */
public interface ChannelMenuPolicy {

    /**
     * The live state of one option.
     *
     * @param tenantId the entry point's tenant
     * @param queueId  the option's queue, a local id
     * @param channel  the option's channel
     * @param callback whether the option asks for a call-back rather than reaching the channel now
     */
    OptionState option(String tenantId, String queueId, Channel channel, boolean callback);

    /**
     * An option's live state.
     *
     * @param open            whether the menu shows it as open now
     * @param expectedWait    the expected wait of a new contact ({@link ExpectedWait}), null when unknown
     * @param agentsAvailable agents free now in the queue
     * @param waiting         contacts waiting in the queue
     */
    record OptionState(boolean open, Duration expectedWait, int agentsAvailable, int waiting) {

        /** The state of an option whose queue does not exist. */
        public static final OptionState CLOSED = new OptionState(false, null, 0, 0);
    }
}
