package io.musubi.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.itests.Await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The web pages in a real browser: the assembled distribution runs as a process, {@code scripts/demo.sh} sets it up as
 * a newcomer would, and the Node.js tests in {@code src/test/browser/tests} drive Debian's Chromium with playwright-core
 * through the widget, the agent desktop and the supervisor view (chat, video with ICE connected, live queue, channel
 * menu). Their output is in {@code target/browser-tests.log}, their screenshots in {@code target/screenshots}.
 *
 * <p>Needs {@code /usr/bin/chromium} (or {@code -Dmusubi.chromium}), {@code node} and the npm packages
 * ({@code npm ci} in src/test/browser; ./test.sh does it). Without them the test is skipped with the reason, unless
 * {@code -Dmusubi.browser.required=true} (CI), where it fails.
 */
class BrowserIT {

    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(15);
    private HubProcess hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null && hub.isAlive()) {
            hub.stop();
        }
    }

    @Test
    void theBrowserTestsPassAgainstTheRunningHub() throws Exception {
        Path browserTests = Path.of("src", "test", "browser").toAbsolutePath();
        Path chromium = Path.of(System.getProperty("musubi.chromium", "/usr/bin/chromium"));
        String missing = missing(browserTests, chromium);
        if (!missing.isEmpty()) {
            String reason = "browser tests cannot run here: " + missing;
            assertThat(Boolean.getBoolean("musubi.browser.required")).as(reason).isFalse();
            System.err.println("BrowserIT: " + reason + " (skipped)");
            Assumptions.abort(reason);
        }

        Path tarGz = Path.of(System.getProperty("musubi.distribution"));
        Path home = Path.of("target", "browser-" + System.nanoTime()).toAbsolutePath();
        int port = 18481;
        hub = HubProcess.install(tarGz, home, port, 15772);
        hub.start();
        Await.until("hub ready with the web chat", Duration.ofSeconds(240), Duration.ofMillis(500),
                () -> hub.health().contains("\"connector.web\":\"Started 1/1 routes\""));

        Path keys = home.resolve("browser-keys.json");
        Path demo = Path.of("..", "scripts", "demo.sh").toAbsolutePath().normalize();
        ProcessBuilder setupCommand = new ProcessBuilder(demo.toString(), "--json", keys.toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("demo.log").toFile());
        setupCommand.environment().put("MUSUBI_URL", "http://127.0.0.1:" + port);
        setupCommand.environment().put("MUSUBI_HOME", home.toString());
        Process setup = setupCommand.start();
        setup.getOutputStream().close();
        assertThat(setup.waitFor(5, TimeUnit.MINUTES)).as("demo.sh finished").isTrue();
        checkDemoSetup(setup, home);

        Path log = Path.of("target", "browser-tests.log").toAbsolutePath();
        ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-concurrency=1", "tests/")
                .directory(browserTests.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        node.environment().put("MUSUBI_KEYS_JSON", keys.toString());
        node.environment().put("SCREENSHOT_DIR", Path.of("target", "screenshots").toAbsolutePath().toString());
        node.environment().put("CHROMIUM", chromium.toString());
        Process tests = node.start();
        tests.getOutputStream().close();
        boolean finished = tests.waitFor(NODE_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
        if (!finished) {
            tests.descendants().forEach(ProcessHandle::destroyForcibly);
            tests.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(finished).as("the browser tests finished within " + NODE_TIMEOUT).isTrue();
        assertThat(tests.exitValue()).as("browser tests (see " + log + "):\n" + tail(output)).isZero();
        assertThat(output).contains("# fail 0").doesNotContain("# pass 0");
    }

    /** The demo setup must have worked: it is what a newcomer runs. */
    private static void checkDemoSetup(Process setup, Path home) throws IOException {
        String out = Files.readString(home.resolve("demo.log"), StandardCharsets.UTF_8);
        assertThat(setup.exitValue()).as("scripts/demo.sh:\n" + out).isZero();
        assertThat(out).contains("/desktop/").contains("/widget/");
    }

    /** What the browser tests need and this machine lacks, or "". */
    private static String missing(Path browserTests, Path chromium) {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(chromium)) {
            missing.add(chromium + " (apt-get install chromium)");
        }
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                missing.add("node");
            } else if (!version.matches("v(2[0-9]|[3-9][0-9])\\..*")) {
                missing.add("Node.js 20 or later (playwright-core needs it; found " + version + ")");
            }
        } catch (IOException e) {
            missing.add("node (apt-get install nodejs npm)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            missing.add("node");
        }
        if (!Files.isDirectory(browserTests.resolve("node_modules").resolve("playwright-core"))) {
            missing.add("playwright-core (npm ci in " + browserTests + ")");
        }
        return String.join(", ", missing);
    }

    private static String tail(String s) {
        return s.length() <= 6000 ? s : s.substring(s.length() - 6000);
    }
}
