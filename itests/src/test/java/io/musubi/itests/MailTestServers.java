package io.musubi.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.karaf.features.FeaturesService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * What the e-mail connector's tests on the distribution share: GreenMail's bundles installed into the container (the
 * mail servers run there, beside the hub), the feature installed, and an instance configured as an operator does it,
 * by a file {@code etc/io.musubi.connector.mail-<name>.cfg} with its passwords in owner-only files.
 */
final class MailTestServers {

    private MailTestServers() {
    }

    /** Installs and starts GreenMail and the Jakarta Mail bundles it runs on (once per container). */
    static synchronized void installGreenMail(BundleContext context) throws Exception {
        Properties p = new Properties();
        try (InputStream in = MailTestServers.class.getResourceAsStream("/mail-test-bundles.properties")) {
            p.load(in);
        }
        for (String key : List.of("jakarta.mail.api", "angus.activation", "angus.mail", "greenmail")) {
            String location = p.getProperty(key);
            Bundle b = context.getBundle(location);
            if (b == null) {
                b = context.installBundle(location);
            }
            if (b.getState() != Bundle.ACTIVE) {
                b.start();
            }
        }
    }

    static void installFeature(FeaturesService features) throws Exception {
        if (!features.isInstalled(features.getFeature("musubi-connector-mail"))) {
            features.installFeature("musubi-connector-mail",
                    java.util.EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A password file readable by its owner only, under {@code etc/musubi}. */
    static Path ownerOnly(String name, String value) throws IOException {
        Path dir = Path.of(System.getProperty("karaf.etc"), "musubi");
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, value);
        return file;
    }

    /**
     * Writes {@code etc/io.musubi.connector.mail-<name>.cfg} (the configuration watcher of Karaf turns it into the
     * instance's factory configuration).
     */
    static Path configure(String name, String id, String queue, int imapPort, String imapUser, Path imapPassword,
                          int smtpPort, String smtpUser, Path smtpPassword, String addresses) throws IOException {
        Path cfg = Path.of(System.getProperty("karaf.etc"), "io.musubi.connector.mail-" + name + ".cfg");
        String text = String.join("\n",
                "# written by the e-mail connector's tests",
                "id = " + id,
                "tenantId = default",
                "queue = " + queue,
                "addresses = " + addresses,
                "imapHost = 127.0.0.1",
                "imapPort = " + imapPort,
                "imapSecurity = none",
                "imapUser = " + imapUser,
                "imapPasswordFile = " + imapPassword,
                "smtpHost = 127.0.0.1",
                "smtpPort = " + smtpPort,
                "smtpSecurity = none",
                "smtpUser = " + smtpUser,
                "smtpPasswordFile = " + smtpPassword,
                "pollSeconds = 2",
                "timeoutSeconds = 5",
                "maxRedeliveries = 200",
                "");
        Path tmp = cfg.resolveSibling(cfg.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, cfg, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return cfg;
    }

    static final Duration WAIT = Duration.ofSeconds(90);
}
