package io.musubi.connector.asterisk.internal;

import static io.musubi.connector.asterisk.internal.TestPbx.T;
import static io.musubi.connector.asterisk.internal.TestPbx.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.acd.AgentStatus;
import io.musubi.connector.asterisk.ami.AmiTranscript;
import io.musubi.connector.asterisk.ami.Await;
import io.musubi.model.Channel;
import io.musubi.model.PresenceState;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents' phones (11: a real SIP phone registers, takes a call, hangs up and unregisters, as recorded) drive the ACD's
 * device-busy hook and the agent's VOICE availability.
 */
class PhoneStateTest {

    private static final AmiTranscript PHONE = AmiTranscript.load("11-sip-phone-register-call.jsonl");

    @TempDir
    Path dir;

    private TestPbx pbx;

    @AfterEach
    void tearDown() {
        if (pbx != null) {
            pbx.close();
        }
    }

    private AgentStatus agent() {
        return pbx.hub.acd().agent(T + "/1001").orElseThrow();
    }

    private void await(String what, Predicate<AgentStatus> condition) {
        Await.until(what, WAIT, () -> condition.test(agent()));
    }

    @Test
    void theAgentsPhoneInUseMakesItBusyAndUnregisteredNotRoutableForVoice() throws Exception {
        pbx = TestPbx.start(dir, Map.of());
        pbx.available("1001");
        // before registration, the hints say Unavailable (ExtensionStateList): no voice
        pbx.session.send("Event: DeviceStateChange\r\nPrivilege: call,all\r\nDevice: PJSIP/1001\r\nState: "
                + "UNAVAILABLE\r\n\r\n");
        await("voice off while unregistered", a -> !a.enabledChannels().contains(Channel.VOICE));
        assertThat(agent().routableChannels()).contains(Channel.WEBCHAT).doesNotContain(Channel.VOICE);

        // the phone registers (ContactStatus NonQualified, DeviceStateChange NOT_INUSE): voice again
        pbx.session.replay(PHONE, 1).untilNote("the phone calls the support line", WAIT);
        await("voice on once registered", a -> a.enabledChannels().contains(Channel.VOICE));
        assertThat(agent().state()).isEqualTo(PresenceState.AVAILABLE);

        // a private call on the phone: busy, no offers
        pbx.session.send("Event: DeviceStateChange\r\nPrivilege: call,all\r\nDevice: PJSIP/1001\r\nState: INUSE"
                + "\r\n\r\n");
        await("busy", a -> a.state() == PresenceState.BUSY && "device-busy".equals(a.reasonCode()));
        assertThat(agent().routableChannels()).isEmpty();
        pbx.session.send("Event: DeviceStateChange\r\nPrivilege: call,all\r\nDevice: PJSIP/1001\r\nState: "
                + "NOT_INUSE\r\n\r\n");
        await("available", a -> a.state() == PresenceState.AVAILABLE);

        // the recorded unregistration: ContactStatus Removed, ExtensionStatus 4, DeviceStateChange UNAVAILABLE
        pbx.session.replay(PHONE, 1).skipUntil(r -> r.isMeta() && r.meta().contains("the phone calls the support line")).toEnd(WAIT);
        await("voice off after unregistering", a -> !a.enabledChannels().contains(Channel.VOICE));
        assertThat(agent().state()).isEqualTo(PresenceState.AVAILABLE); // still routable for chat
    }

    @Test
    void aVoiceToggleTheAgentSetIsNeverUndoneByThePhone() throws Exception {
        pbx = TestPbx.start(dir, Map.of());
        pbx.available("1001");
        pbx.hub.acd().setChannelEnabled(T + "/1001", Channel.VOICE, false, "agent:" + T + "/1001");
        pbx.session.send("Event: DeviceStateChange\r\nPrivilege: call,all\r\nDevice: PJSIP/1001\r\nState: "
                + "NOT_INUSE\r\n\r\n");
        pbx.pbx.drain();
        assertThat(agent().enabledChannels()).doesNotContain(Channel.VOICE);
    }
}
