package io.musubi.connector.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboundLedgerTest {

    @TempDir
    Path state;

    private final Clock clock = Clock.fixed(Instant.parse("2024-11-22T10:00:00.123Z"), ZoneOffset.UTC);

    @Test
    void anAttemptThenTheSidAreKeptDurablyAndReadByANewInstance() {
        OutboundLedger ledger = new OutboundLedger(state, clock);
        assertThat(ledger.get("o-1")).isEmpty();
        ledger.attempting("o-1");
        OutboundLedger.Entry pending = new OutboundLedger(state, clock).get("o-1").orElseThrow();
        assertThat(pending.attemptedAt()).isEqualTo(clock.instant());
        assertThat(pending.sent()).isFalse();
        ledger.record("o-1", "SM" + "a".repeat(32), TwilioStatus.QUEUED);
        OutboundLedger.Entry sent = new OutboundLedger(state, clock).get("o-1").orElseThrow();
        assertThat(sent.sid()).isEqualTo("SM" + "a".repeat(32));
        assertThat(sent.attemptedAt()).isNull();
        assertThat(sent.status()).isEqualTo(TwilioStatus.QUEUED);
        assertThat(new OutboundLedger(state, clock).messageOf("SM" + "a".repeat(32))).contains("o-1");
        assertThat(ledger.messageOf("SM" + "b".repeat(32))).isEmpty();
    }

    @Test
    void theHighestStatusWinsAndTheFirstSidStays() {
        OutboundLedger ledger = new OutboundLedger(state, clock);
        ledger.record("o-2", "SM1", TwilioStatus.DELIVERED);
        assertThat(ledger.record("o-2", "SM1", TwilioStatus.SENT).status()).isEqualTo(TwilioStatus.DELIVERED);
        assertThat(ledger.record("o-2", "SM2", TwilioStatus.UNDELIVERED).status()).isEqualTo(TwilioStatus.UNDELIVERED);
        assertThat(ledger.get("o-2").orElseThrow().sid()).isEqualTo("SM1");
        assertThat(ledger.record("o-2", "", TwilioStatus.READ).rank()).isEqualTo(4);
    }

    @Test
    void aRefusedAttemptLeavesNothingPendingButKeepsTheFirstAttemptTimeOtherwise() {
        OutboundLedger ledger = new OutboundLedger(state, clock);
        ledger.attempting("o-3");
        ledger.attempting("o-3");
        assertThat(ledger.get("o-3").orElseThrow().attemptedAt()).isEqualTo(clock.instant());
        ledger.noAttemptPending("o-3");
        assertThat(ledger.get("o-3").orElseThrow().attemptedAt()).isNull();
    }

    @Test
    void oldRecordsArePrunedAndLeftoverTemporaryFilesDoNotMatter() throws Exception {
        OutboundLedger ledger = new OutboundLedger(state, clock);
        ledger.record("o-old", "SMold", TwilioStatus.SENT);
        ledger.record("o-new", "SMnew", TwilioStatus.SENT);
        try (Stream<Path> files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.getFileName().toString().contains("old")) {
                    Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
                }
            }
        }
        Path shard = state.resolve("outbound").resolve(Files.list(state.resolve("outbound")).findFirst().get().getFileName());
        Files.writeString(shard.resolve(".o-crash.tmp"), "attemptedAt=1\n", StandardCharsets.UTF_8);
        assertThat(ledger.prune(Instant.now().minus(Duration.ofDays(14)))).isEqualTo(1);
        assertThat(ledger.get("o-old")).isEmpty();
        assertThat(ledger.messageOf("SMold")).isEmpty();
        assertThat(ledger.get("o-new")).isPresent();
        assertThat(ledger.messageOf("SMnew")).contains("o-new");
    }

    @Test
    void keysThatAreNotIdsAreRefused() {
        OutboundLedger ledger = new OutboundLedger(state, clock);
        assertThatThrownBy(() -> ledger.get("../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.get(".hidden")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ledger.messageOf("../x")).isEmpty();
    }
}
