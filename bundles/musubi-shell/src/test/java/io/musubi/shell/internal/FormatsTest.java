package io.musubi.shell.internal;

import io.musubi.model.Channel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FormatsTest {

    @Test
    void durations() {
        assertThat(Formats.duration(Duration.ZERO)).isEqualTo("0s");
        assertThat(Formats.duration(Duration.ofMillis(4_200))).isEqualTo("4.2s");
        assertThat(Formats.duration(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(Formats.duration(Duration.ofSeconds(187))).isEqualTo("3m07s");
        assertThat(Formats.duration(Duration.ofMinutes(125))).isEqualTo("2h05m");
        assertThat(Formats.duration(Duration.ofHours(76))).isEqualTo("3d04h");
        assertThat(Formats.duration(Duration.ofSeconds(-1))).isEqualTo("-");
    }

    @Test
    void loadShowsOnlyChannelsWithWork() {
        assertThat(Formats.load(Map.of(Channel.LINE, 2, Channel.VOICE, 1),
                Map.of(Channel.VOICE, 1, Channel.LINE, 3, Channel.EMAIL, 5))).isEqualTo("VOICE 1/1 LINE 2/3");
        assertThat(Formats.load(Map.of(), Map.of(Channel.VOICE, 1))).isEqualTo("-");
    }

    @Test
    void ratiosAndChannels() {
        assertThat(Formats.ratio(0.734)).isEqualTo("73%");
        assertThat(Formats.percent(87.54)).isEqualTo("87.5%");
        assertThat(Formats.channels(EnumSet.of(Channel.LINE, Channel.VOICE))).isEqualTo("VOICE,LINE");
        assertThat(Formats.channels(EnumSet.noneOf(Channel.class))).isEqualTo("-");
    }

    @Test
    void cellTextCannotRewriteTheTable() {
        assertThat(Formats.orDash("山田 太郎")).isEqualTo("山田 太郎");
        assertThat(Formats.orDash("")).isEqualTo("-");
        assertThat(Formats.orDash(null)).isEqualTo("-");
        assertThat(Formats.orDash("Eve\r\nalice  AVAILABLE")).isEqualTo("Eve\\u000D\\u000Aalice  AVAILABLE");
        assertThat(Formats.orDash("Eve\u202Etoor")).isEqualTo("Eve\\u202Etoor");
        assertThat(Formats.orDash("lunch\u001B[2J")).isEqualTo("lunch\\u001B[2J");
    }
}
