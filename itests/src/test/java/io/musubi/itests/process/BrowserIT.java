package io.musubi.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.itests.Await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The web pages in real browsers: the assembled distribution runs as a process, {@code scripts/demo.sh} sets it up as
 * a newcomer would, and the Node.js tests in {@code src/test/browser/tests} drive the widget, the agent desktop and the
 * supervisor view with playwright-core (chat, video with ICE connected, live queue, channel menu), once in Debian's
 * Chromium and once in Debian's Firefox ESR (WebDriver BiDi), against the same hub. Their output, browser by browser
 * with a summary at the end, is in {@code target/browser-tests.log}; their screenshots in {@code target/screenshots}
 * (Firefox's in {@code target/screenshots/firefox}).
 *
 * <p>Needs {@code node}, the npm packages ({@code npm ci} in src/test/browser; ./test.sh does it) and the browsers:
 * {@code /usr/bin/chromium} and {@code /usr/bin/firefox-esr} ({@code -Dmusubi.chromium}, {@code -Dmusubi.firefox}).
 * What is missing is skipped with the reason (a missing browser skips its pass only), unless
 * {@code -Dmusubi.browser.required=true} (CI), where it fails.
 */
class BrowserIT {

    /** For one browser's pass. */
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
        boolean required = Boolean.getBoolean("musubi.browser.required");
        String missing = missingTools(browserTests);
        if (!missing.isEmpty()) {
            skipOrFail("browser tests cannot run here: " + missing, required);
        }
        List<Browser> browsers = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Browser browser : Browser.values()) {
            if (Files.isExecutable(browser.executable())) {
                browsers.add(browser);
            } else {
                String reason = browser.executable() + " is missing (" + browser.install + ")";
                assertThat(required).as("the " + browser.id + " pass cannot run: " + reason).isFalse();
                System.err.println("BrowserIT: the " + browser.id + " pass is skipped: " + reason);
                skipped.add(browser.id + ": skipped, " + reason);
            }
        }
        if (browsers.isEmpty()) {
            skipOrFail("browser tests cannot run here: no browser (" + String.join("; ", skipped) + ")", required);
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

        // One pass per browser, one after the other against the same hub (each test file cleans up after itself).
        Path log = Path.of("target", "browser-tests.log").toAbsolutePath();
        Files.writeString(log, "", StandardCharsets.UTF_8);
        List<String> summary = new ArrayList<>(skipped);
        List<String> failures = new ArrayList<>();
        for (Browser browser : browsers) {
            Pass pass = run(browser, browserTests, keys, log);
            summary.add(pass.summary());
            if (!pass.passed()) {
                failures.add(browser.id + " (see " + log + "):\n" + tail(pass.output()));
            }
        }
        String report = "\n===== browser passes\n" + String.join("\n", summary) + "\n";
        Files.writeString(log, report, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        System.out.println(report);
        assertThat(failures).as("browser passes that failed").isEmpty();
    }

    /** The browsers the tests run in, in this order; {@code MUSUBI_BROWSER} tells the tests which one. */
    private enum Browser {
        CHROMIUM("chromium", "musubi.chromium", "/usr/bin/chromium", "CHROMIUM", "apt-get install chromium",
                "screenshots"),
        FIREFOX("firefox", "musubi.firefox", "/usr/bin/firefox-esr", "FIREFOX", "apt-get install firefox-esr",
                "screenshots/firefox");

        final String id;
        final String property;
        final String defaultPath;
        final String envVariable;
        final String install;
        final String screenshots;

        Browser(String id, String property, String defaultPath, String envVariable, String install,
                String screenshots) {
            this.id = id;
            this.property = property;
            this.defaultPath = defaultPath;
            this.envVariable = envVariable;
            this.install = install;
            this.screenshots = screenshots;
        }

        Path executable() {
            return Path.of(System.getProperty(property, defaultPath));
        }
    }

    private record Pass(Browser browser, boolean passed, String output, String counts, Duration took) {

        String summary() {
            return browser.id + ": " + (passed ? "passed" : "FAILED") + ", " + counts + ", " + took.toSeconds() + " s";
        }
    }

    /** Runs every test file in one browser; its output is appended to {@code log} under a header. */
    private static Pass run(Browser browser, Path browserTests, Path keys, Path log) throws Exception {
        Path out = Path.of("target", "browser-tests-" + browser.id + ".log").toAbsolutePath();
        ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-concurrency=1", "tests/")
                .directory(browserTests.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        node.environment().put("MUSUBI_KEYS_JSON", keys.toString());
        node.environment().put("MUSUBI_BROWSER", browser.id);
        node.environment().put(browser.envVariable, browser.executable().toString());
        node.environment().put("SCREENSHOT_DIR", Path.of("target", browser.screenshots).toAbsolutePath().toString());
        long started = System.nanoTime();
        Process tests = node.start();
        tests.getOutputStream().close();
        boolean finished = tests.waitFor(NODE_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
        if (!finished) {
            tests.descendants().forEach(ProcessHandle::destroyForcibly);
            tests.destroyForcibly();
            tests.waitFor();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.writeString(log, "===== " + browser.id + " (" + browser.executable() + ")\n" + output + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        System.out.println("===== " + browser.id + "\n" + output);
        String counts = count(output, "pass") + " passed, " + count(output, "fail") + " failed, "
                + count(output, "skipped") + " skipped"
                + (finished ? "" : ", killed after " + NODE_TIMEOUT.toMinutes() + " min");
        boolean passed = finished && tests.exitValue() == 0 && output.contains("# fail 0")
                && !output.contains("# pass 0");
        return new Pass(browser, passed, output, counts, took);
    }

    /** A count from node's test summary ({@code # pass 9}), or "?" when there is none. */
    private static String count(String output, String what) {
        Matcher m = Pattern.compile("(?m)^# " + what + " (\\d+)$").matcher(output);
        return m.find() ? m.group(1) : "?";
    }

    private static void skipOrFail(String reason, boolean required) {
        assertThat(required).as(reason).isFalse();
        System.err.println("BrowserIT: " + reason + " (skipped)");
        Assumptions.abort(reason);
    }

    /** The demo setup must have worked: it is what a newcomer runs. */
    private static void checkDemoSetup(Process setup, Path home) throws IOException {
        String out = Files.readString(home.resolve("demo.log"), StandardCharsets.UTF_8);
        assertThat(setup.exitValue()).as("scripts/demo.sh:\n" + out).isZero();
        assertThat(out).contains("/desktop/").contains("/widget/");
    }

    /** What the browser tests need besides the browsers and this machine lacks, or "". */
    private static String missingTools(Path browserTests) {
        List<String> missing = new ArrayList<>();
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
