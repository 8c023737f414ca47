package io.musubi.connector.asterisk.internal;

import static io.musubi.connector.asterisk.internal.TestPbx.T;
import static io.musubi.connector.asterisk.internal.TestPbx.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.connector.asterisk.ami.AmiTranscript;
import io.musubi.connector.asterisk.ami.Await;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;
import io.musubi.spi.CallControl;
import io.musubi.spi.CallControlException;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values from outside never inject a header or an action: what the scripted Asterisk received, byte for byte, after
 * call control was asked with line breaks, channel patterns and foreign contexts in every field.
 */
class InjectionTest {

    private static final List<String> HOSTILE = List.of("1002\r\nAction: Hangup\r\nChannel: /.*/",
            "1002\nAction: Originate", "1002\rApplication: System", "1002@default", "Local/1002@default/n",
            "PJSIP/1002", "1002,qB", "/.*/", "1002\r\n\r\nAction: Logoff");

    @TempDir
    Path dir;

    private TestPbx pbx;

    @AfterEach
    void tearDown() {
        if (pbx != null) {
            pbx.close();
        }
    }

    @Test
    void noHostileValueReachesThePbxAndEveryMessageSentIsOneWellFormedAction() throws Exception {
        pbx = TestPbx.start(dir, Map.of("defaultQueue", "support"));
        pbx.available("1001");
        pbx.session.replay(AmiTranscript.load("05a-hub-redirect-routing.jsonl"), 1, "Redirect")
                .untilNote("agent hangs up", WAIT).expectOnly();
        Interaction call = pbx.interaction("1795343846.0");
        Await.until("connected", WAIT, () -> pbx.hub.acd().interaction(call.id())
                .map(i -> i.state() == InteractionState.CONNECTED).orElse(false));
        Interaction live = pbx.hub.acd().interaction(call.id()).orElseThrow();
        CallControl control = pbx.pbx.callControl();
        int before = pbx.server.received().size();

        for (String value : HOSTILE) {
            assertRefused(() -> control.transfer(live, value, CallControl.TransferMode.BLIND));
            assertRefused(() -> control.transfer(live, value, CallControl.TransferMode.ATTENDED));
            assertRefused(() -> control.dial(T + "/1001", value, "Hanako"));
            assertRefused(() -> control.monitor(live, CallControl.MonitorMode.BARGE, value, "supervisor:s"));
        }
        // a hostile display name is dropped, not sent
        control.dial(T + "/1001", "5559876", "Hanako\r\nAction: Hangup\r\nChannel: /.*/");
        pbx.awaitAction("Originate", 1);
        assertThat(pbx.lastAction("Originate").first("CallerID")).hasValue("5559876");

        List<String> sent = pbx.server.received();
        assertThat(sent.subList(before, sent.size())).allSatisfy(raw -> {
            long actions = raw.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("action:")).count();
            assertThat(actions).as(raw).isEqualTo(1);
        });
        assertThat(sent).noneMatch(raw -> raw.toLowerCase(Locale.ROOT).contains("action: hangup"));
        assertThat(sent).noneMatch(raw -> raw.contains("/.*/") || raw.contains("Application: System")
                || raw.toLowerCase(Locale.ROOT).contains("action: logoff"));
        // each message ends where the protocol says, with no blank line inside
        assertThat(sent).allSatisfy(raw -> assertThat(raw.indexOf("\r\n\r\n")).isEqualTo(raw.length() - 4));
    }

    private static void assertRefused(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(CallControlException.class,
                e -> assertThat(e.reason()).isEqualTo(CallControlException.Reason.INVALID));
    }
}
