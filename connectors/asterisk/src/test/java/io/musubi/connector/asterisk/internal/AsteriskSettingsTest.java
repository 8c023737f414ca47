package io.musubi.connector.asterisk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.spi.CallControlException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration of a PBX: the secret's sources, values that reach AMI actions, agents' devices. */
class AsteriskSettingsTest {

    @TempDir
    Path dir;

    private static AsteriskSettings settings(Map<String, Object> values) {
        Map<String, Object> c = new HashMap<>(Map.of("username", "hub", "secretEnv", "S"));
        c.putAll(values);
        return AsteriskSettings.from(TestPbx.config(c), name -> "S".equals(name) ? "s3cret-value" : null);
    }

    @Test
    void theSecretComesFromAnOwnerOnlyFileOrTheEnvironmentAndIsNeverShown() throws Exception {
        Path file = dir.resolve("ami.secret");
        Files.writeString(file, "file-s3cret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        AsteriskSettings fromFile = settings(Map.of("secretFile", file.toString(), "secretEnv", ""));
        assertThat(fromFile.secret()).isEqualTo("file-s3cret");
        assertThat(fromFile.toString()).doesNotContain("file-s3cret");
        assertThat(fromFile.describe().toString()).doesNotContain("file-s3cret").contains("****");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> settings(Map.of("secretFile", file.toString(), "secretEnv", "")))
                .hasMessageContaining("owner only").hasMessageNotContaining("file-s3cret");

        AsteriskSettings fromEnv = settings(Map.of());
        assertThat(fromEnv.secret()).isEqualTo("s3cret-value");
        assertThat(fromEnv.describe().values()).noneMatch(v -> v.contains("s3cret"));
        assertThatThrownBy(() -> settings(Map.of("secretEnv", "UNSET_VARIABLE")))
                .hasMessageContaining("not set");
        assertThatThrownBy(() -> settings(Map.of("secretEnv", ""))).hasMessageContaining("secretFile");
    }

    @Test
    void valuesThatGoIntoAmiActionsAreCheckedWhenTheConfigurationIsRead() {
        assertThatThrownBy(() -> settings(Map.of("holdContext", "hold\r\nAction: Originate")))
                .hasMessageContaining("holdContext");
        assertThatThrownBy(() -> settings(Map.of("routeExtensionTemplate", "{ext}\nAction: Hangup")))
                .hasMessageContaining("routeExtensionTemplate");
        assertThatThrownBy(() -> settings(Map.of("deviceTemplate", "PJSIP/1001"))).hasMessageContaining("{ext}");
        assertThatThrownBy(() -> settings(Map.of("username", "hub\r\nSecret: x"))).hasMessageContaining("username");
        assertThatThrownBy(() -> settings(Map.of("mode", "both"))).hasMessageContaining("mode");
        assertThatThrownBy(() -> settings(Map.of("agents", new String[] {"hanako=1001", "taro=1001"})))
                .hasMessageContaining("two agents");
        assertThatThrownBy(() -> settings(Map.of("recordingDirectory", "/var/spool/../etc")))
                .hasMessageContaining("recordingDirectory");
    }

    @Test
    void agentsMapToTheirDevicesAndBackWithTheTemplates() {
        AsteriskSettings s = settings(Map.of("tenantId", "acme", "agents", new String[] {"hanako=1001,taro=1002"},
                "memberInterfaceTemplate", "Local/{ext}@agents/n", "routeExtensionTemplate", "sip{ext}",
                "memberQueues", new String[] {"support,sales"}));
        AgentDirectory d = s.agents;
        assertThat(d.extension("acme/hanako")).hasValue("1001");
        assertThat(d.extension("other/hanako")).isEmpty();
        assertThat(d.extension("acme/jiro")).isEmpty();
        assertThat(d.routeExtension("1001")).isEqualTo("sip1001");
        assertThat(d.agentOfDevice("PJSIP/1002")).hasValue("acme/taro");
        assertThat(d.agentOfDevice("pjsip/1002")).hasValue("acme/taro");
        assertThat(d.agentOfDevice("PJSIP/1003")).isEmpty();
        assertThat(d.agentOfMemberInterface("Local/1001@agents/n")).hasValue("acme/hanako");
        assertThat(d.agentOfChannel("Local/1001@agents-00000001;1")).hasValue("acme/hanako");
        assertThat(d.agentOfChannel("PJSIP/1002-0000002a")).hasValue("acme/taro");
        assertThat(s.memberQueues).containsExactly("support", "sales");

        AgentDirectory implicit = settings(Map.of("tenantId", "acme")).agents;
        assertThat(implicit.extension("acme/1001")).hasValue("1001");
        assertThat(implicit.agentOfDevice("PJSIP/1001")).hasValue("acme/1001");
    }

    @Test
    void destinationsAndNamesFromOutsideAreAllowListed() {
        assertThat(AmiValues.destination("+81 3-1234-5678", "to")).isEqualTo("+81312345678");
        assertThat(AmiValues.destination("*72#", "to")).isEqualTo("*72#");
        for (String bad : new String[] {"1001\r\nAction: Hangup", "1001@default", "Local/1001", "PJSIP/1001", "",
            null, "abc", "1".repeat(33)}) {
            assertThatThrownBy(() -> AmiValues.destination(bad, "target")).isInstanceOfSatisfying(
                    CallControlException.class, e -> {
                        assertThat(e.reason()).isEqualTo(CallControlException.Reason.INVALID);
                        assertThat(e.field()).isEqualTo("target");
                    });
        }
        assertThat(AmiValues.callerName("山田 花子")).isEqualTo("山田 花子");
        assertThat(AmiValues.callerName("Hanako\r\nAction: Hangup")).isEmpty();
        assertThat(AmiValues.callerName("\"Evil\" <1>")).isEmpty();
        assertThat(AmiValues.isChannel("/.*/")).isFalse();
        assertThat(AmiValues.isChannel("Local/1001@agents-00000001;1")).isTrue();
        assertThat(AmiValues.data("2\u0000")).isEmpty();
    }
}
