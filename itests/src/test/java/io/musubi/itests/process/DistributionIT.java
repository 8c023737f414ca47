package io.musubi.itests.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.itests.Await;
import io.musubi.itests.PacedFileWriter;

import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The unpacked distribution as an operator gets it (issue #9): what its files hold and with which modes, the JVM it
 * starts, what a first contact leaves in the log, and how it stops. One hub for the class, installed over the files
 * an older installation left: a broker secret and its plain-text entry in a world-readable users.properties.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributionIT {

    private static final int HTTP_PORT = 18481;
    private static final int AMQP_PORT = 15772;
    private static final String OLD_SECRET = "secret-of-an-older-installation-0123456789";
    private static final String CONTACT_TEXT = "Hello from my first customer, my number is 090-1234-5678";

    private HubProcess hub;
    private Path home;

    @BeforeAll
    void startOverAnOlderInstallation() throws Exception {
        home = Path.of("target", "distribution-" + System.nanoTime()).toAbsolutePath();
        hub = HubProcess.install(Path.of(System.getProperty("musubi.distribution")), home, HTTP_PORT, AMQP_PORT);
        Path secret = home.resolve("etc/musubi/broker.secret");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, OLD_SECRET + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path users = home.resolve("etc/users.properties");
        Files.writeString(users, Files.readString(users) + "\nmusubi-hub = " + OLD_SECRET + ",musubi-broker\n");
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-r--r--"));

        hub.start();
        Await.until("hub ready with its ingress route", Duration.ofSeconds(180),
                () -> hub.health().contains("\"musubi-ingress\":\"Started 1/1 routes\""));
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (hub != null && hub.isAlive()) {
            hub.killHard();
        }
    }

    // ------------------------------------------------------------------ item 3: the broker credential

    @Test
    @Order(1)
    void usersPropertiesHoldsTheDigestOfTheBrokerSecretAndIsOwnerOnly() throws Exception {
        Path users = home.resolve("etc/users.properties");
        String content = Files.readString(users, StandardCharsets.UTF_8);
        assertThat(content).doesNotContain(OLD_SECRET)
                .contains("musubi-hub = {CRYPT}" + sha512Hex(OLD_SECRET) + "{CRYPT},musubi-broker");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(users))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("etc/musubi/broker.secret"))))
                .isEqualTo("rw-------");
        assertThat(properties("etc/org.apache.karaf.jaas.cfg")).containsEntry("encryption.enabled", "true")
                .containsEntry("encryption.algorithm", "SHA-512");
    }

    @Test
    @Order(2)
    void theBrokerAcceptsTheSecretAgainstItsDigestAndRefusesAnyOther() throws Exception {
        assertThat(hub.health()).contains("\"broker\":{\"status\":\"UP\"");
        String url = "amqp://127.0.0.1:" + AMQP_PORT;
        try (Connection c = new JmsConnectionFactory("musubi-hub", OLD_SECRET, url).createConnection()) {
            c.start();
        }
        assertThatThrownBy(() -> {
            try (Connection c = new JmsConnectionFactory("musubi-hub", OLD_SECRET + "x", url).createConnection()) {
                c.start();
            }
        }).isInstanceOf(JMSSecurityException.class);
        // The digest itself is no password.
        assertThatThrownBy(() -> {
            try (Connection c = new JmsConnectionFactory("musubi-hub", "{CRYPT}" + sha512Hex(OLD_SECRET) + "{CRYPT}",
                    url).createConnection()) {
                c.start();
            }
        }).isInstanceOf(JMSSecurityException.class);
    }

    // ------------------------------------------------------------------ item 12: the first contact in the log

    @Test
    @Order(3)
    void aDemoContactLeavesOneLinePerEventInTheLogAndNoCustomerData() throws Exception {
        Path inbox = home.resolve("data/demo/inbox");
        PacedFileWriter.drop(inbox, "first-contact", CONTACT_TEXT);
        Await.until("the contact acknowledged and processed", Duration.ofSeconds(60),
                () -> PacedFileWriter.idsIn(inbox.resolve(".done")).contains("first-contact")
                        && hub.health().contains("\"musubi.ingress\":\"0\""));
        Await.until("its events in the log", Duration.ofSeconds(30),
                () -> journey().stream().anyMatch(l -> l.startsWith("QUEUED ")));

        List<String> journey = journey();
        assertThat(journey).anyMatch(l -> l.matches("ARRIVED interaction=i-\\S+ tenant=default channel=WEBCHAT source=demo"))
                .anyMatch(l -> l.matches("MESSAGE_IN interaction=i-\\S+ tenant=default channel=WEBCHAT source=demo"))
                .anyMatch(l -> l.matches("QUEUED interaction=i-\\S+ tenant=default channel=WEBCHAT queue=default/default"));
        for (String file : List.of("data/log/karaf.log", "data/log/journey.log")) {
            assertThat(Files.readString(home.resolve(file), StandardCharsets.UTF_8)).as(file)
                    .doesNotContain("Hello from my first customer", "090-1234-5678", "demo-visitor");
        }
        assertThat(Files.readString(home.resolve("data/log/karaf.log"), StandardCharsets.UTF_8))
                .as("the journey has a file of its own").doesNotContain(" | journey ");
    }

    // ------------------------------------------------------------------ item 13: JVM settings, a quiet start

    @Test
    @Order(4)
    void theJvmRunsWithTheDistributionsSettingsAndJerseyStartsQuietly() throws Exception {
        ProcessHandle jvm = hub.jvm();
        String cmdline = Files.readString(Path.of("/proc", Long.toString(jvm.pid()), "cmdline"), StandardCharsets.UTF_8)
                .replace('\0', ' ');
        assertThat(cmdline).contains(" -Xms64M ", " -Xmx1G ", " -XX:MaxMetaspaceSize=256M ", " -XX:+UseParallelGC ",
                " -XX:+ExitOnOutOfMemoryError ");
        String environ = Files.readString(Path.of("/proc", Long.toString(jvm.pid()), "environ"), StandardCharsets.UTF_8);
        assertThat(List.of(environ.split("\0"))).contains("MALLOC_ARENA_MAX=2");

        List<String> warnings = new ArrayList<>();
        for (String line : Files.readAllLines(home.resolve("data/log/karaf.log"), StandardCharsets.UTF_8)) {
            if (line.contains("| WARN ")) {
                warnings.add(line);
            }
        }
        assertThat(warnings).noneMatch(l -> l.contains("org.glassfish.jersey"))
                .noneMatch(l -> l.contains("EventAdminAuditLoginModule"))
                // every queue has an expiry address (etc/artemis.xml): no "AMQ222166: No Expiry Address" per queue
                .noneMatch(l -> l.contains("AMQ222166"));
    }

    // ------------------------------------------------------------------ item 4: no shutdown port; bin/stop

    @Test
    @Order(5)
    void theHubListensOnNoShutdownPortAndBinStopStopsIt() throws Exception {
        assertThat(properties("etc/config.properties")).containsEntry("karaf.shutdown.port", "-1");
        assertThat(home.resolve("data/port")).doesNotExist();
        ProcessHandle jvm = hub.jvm();
        assertThat(listeningPorts(jvm.pid())).as("TCP ports the hub listens on")
                .containsExactlyInAnyOrder(HTTP_PORT, AMQP_PORT);

        Script status = Script.run(home.resolve("bin/status"));
        assertThat(status.exit).isZero();
        assertThat(status.output).startsWith("Running");

        Script stop = Script.run(home.resolve("bin/stop"));
        assertThat(stop.exit).as(stop.output).isZero();
        assertThat(jvm.isAlive()).as("bin/stop returns once the JVM is gone").isFalse();
        assertThat(hub.launcher().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(hub.launcher().exitValue()).as("the hub's exit status after SIGTERM").isZero();
        assertThat(Files.readString(home.resolve("data/log/karaf.log"), StandardCharsets.UTF_8))
                .as("the framework stopped the hub's bundles in order").contains("Apache Camel 4.14.0 (musubi-ingress) shutdown");

        Script after = Script.run(home.resolve("bin/status"));
        assertThat(after.exit).isEqualTo(1);
        assertThat(after.output).startsWith("Not Running");
        assertThat(Script.run(home.resolve("bin/stop")).exit).as("nothing left to stop").isEqualTo(1);
    }

    // ------------------------------------------------------------------ helpers

    /** The messages of the journey logger, in data/log/journey.log ({@code date | message}). */
    private List<String> journey() {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(home.resolve("data/log/journey.log"), StandardCharsets.UTF_8)) {
                String[] f = line.split(" \\| ", 2);
                if (f.length == 2) {
                    out.add(f[1].strip());
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    private Properties properties(String file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(home.resolve(file), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /** The TCP ports a process listens on, from /proc: its socket inodes matched with /proc/net/tcp{,6} LISTEN rows. */
    private static Set<Integer> listeningPorts(long pid) throws IOException {
        Set<String> inodes = new TreeSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        Set<Integer> ports = new TreeSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path t = Path.of(table);
            if (!Files.exists(t)) {
                continue;
            }
            for (String row : Files.readAllLines(t).subList(1, Files.readAllLines(t).size())) {
                String[] f = row.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) {      // 0A = LISTEN
                    ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    private static String sha512Hex(String s) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(
                MessageDigest.getInstance("SHA-512").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** A script of bin/, run to its end. */
    private record Script(int exit, String output) {
        static Script run(Path script) throws Exception {
            ProcessBuilder pb = new ProcessBuilder(script.toString()).redirectErrorStream(true);
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(script + " did not return within 180 s");
            }
            return new Script(p.exitValue(), out);
        }
    }
}
