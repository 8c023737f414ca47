package io.musubi.shell.internal;

import io.musubi.acd.Acd;
import io.musubi.acd.AcdConfig;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AcdListener;
import io.musubi.acd.Actors;
import io.musubi.acd.AgentDefinition;
import io.musubi.testkit.ManualClock;
import io.musubi.acd.QueueDefinition;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;
import io.musubi.model.PresenceChange;
import io.musubi.model.PresenceState;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small real engine for the command tests: queues {@code voice} (VOICE, ja ≥ 3) and {@code chat} (LINE),
 * agents hanako (ja 8) and taro (ja 5) available, jiro (ja 4) offline.
 */
final class ContactCentre implements AcdListener {
    static final String SECRET_NUMBER = "+81312345678";
    static final String SECRET_LINE_USER = "U0123456789abcdef";

    final ManualClock clock = ManualClock.at("2025-04-01T09:00:00Z");
    final AcdEngine acd = Acd.newEngine(AcdConfig.defaults(), clock);
    final List<PresenceChange> presence = new CopyOnWriteArrayList<>();

    ContactCentre() {
        acd.defineQueue(QueueDefinition.builder("voice").channels(Channel.VOICE).requireSkill("ja", 3)
                .wrapUp(Duration.ofSeconds(30)).build());
        acd.defineQueue(QueueDefinition.builder("chat").channels(Channel.LINE).build());
        acd.defineAgent(AgentDefinition.builder("hanako").name("Hanako Yamada").skill("ja", 8).build());
        acd.defineAgent(AgentDefinition.builder("taro").name("Taro Suzuki").skill("ja", 5).build());
        acd.defineAgent(AgentDefinition.builder("jiro").skill("ja", 4).build());
        acd.setPresence("hanako", PresenceState.AVAILABLE, "", Actors.agent("hanako"));
        clock.advanceSeconds(1);
        acd.setPresence("taro", PresenceState.AVAILABLE, "", Actors.agent("taro"));
        acd.addListener(this);
    }

    @Override
    public void onPresenceChange(PresenceChange change) {
        presence.add(change);
    }

    static Interaction call(String id, String customer) {
        return new Interaction(id, "default", Channel.VOICE, customer, Address.of("tel", SECRET_NUMBER), null, id,
                "voice", 0, Map.of("subject", "my secret question"), InteractionState.NEW, Instant.EPOCH, null, "", "");
    }

    static Interaction line(String id, String customer) {
        return new Interaction(id, "default", Channel.LINE, customer, Address.of("line", SECRET_LINE_USER), null, id,
                "chat", 0, Map.of(), InteractionState.NEW, Instant.EPOCH, null, "", "");
    }

    /** Captures what a command prints. */
    static final class Out {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
