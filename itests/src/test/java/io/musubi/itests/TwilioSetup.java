package io.musubi.itests;

import io.musubi.connector.twilio.testing.FakeTwilioApi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.Map;

import org.apache.karaf.features.FeaturesService;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The Twilio connector in the distribution as a site sets it up (docs/connectors/twilio.md): the feature installed,
 * a factory configuration per instance, the auth token in an owner-only file, and the hub behind a reverse proxy
 * whose public URL ({@link #PUBLIC_BASE}, with a path prefix) is what Twilio signs. One local Twilio
 * ({@link FakeTwilioApi}) serves the whole suite.
 */
final class TwilioSetup {

    /** The public URL of the hub as Twilio sees it: a TLS-terminating reverse proxy with a path prefix. */
    static final String PUBLIC_BASE = "https://hub.example.com/contact";
    static final String FACTORY_PID = "io.musubi.connector.twilio";
    static final String OUR_NUMBER = "+14155550100";

    private static FakeTwilioApi twilio;
    private static String token;

    private TwilioSetup() {
    }

    /** The suite's local Twilio (its auth token made up per run: the log checks look for it). */
    static synchronized FakeTwilioApi twilio() throws IOException {
        if (twilio == null) {
            token = "tck" + java.util.UUID.randomUUID().toString().replace("-", "");
            twilio = FakeTwilioApi.start(FakeTwilioApi.newAccountSid(), token)
                    // What the proxy does: the public URL reaches the hub's local listener.
                    .reachPublicUrlsVia(TwilioSetup::local);
        }
        return twilio;
    }

    static synchronized String token() throws IOException {
        twilio();
        return token;
    }

    /** The hub's local URL of a public one (the reverse proxy's mapping). */
    static String local(String publicUrl) {
        return publicUrl.replace(PUBLIC_BASE, "http://127.0.0.1:" + MusubiTestSupport.HTTP_PORT);
    }

    /** The public webhook URL of an instance, as configured in the Twilio Console. */
    static String webhook(String id) {
        return PUBLIC_BASE + "/webhooks/twilio/" + id;
    }

    static void install(FeaturesService features) throws Exception {
        if (!features.isInstalled(features.getFeature("musubi-connector-twilio"))) {
            features.installFeature("musubi-connector-twilio", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
    }

    /** The owner-only file of an instance's auth token. */
    static Path tokenFile(String id) {
        return Path.of(System.getProperty("karaf.etc"), "musubi", id + ".token");
    }

    /** Writes the auth token file (owner-only), e.g. to break or repair an instance. */
    static void writeToken(String id, String value) throws IOException {
        Path file = tokenFile(id);
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, value);
    }

    /** An instance, once per suite: the API at the local Twilio, replies from {@link #OUR_NUMBER}. */
    static void configure(ConfigurationAdmin admin, String id, String queue, Map<String, Object> extra)
            throws Exception {
        Configuration[] existing = admin.listConfigurations("(id=" + id + ")");
        if (existing != null && existing.length > 0) {
            return;
        }
        writeToken(id, token());
        Configuration c = admin.createFactoryConfiguration(FACTORY_PID, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("id", id);
        p.put("tenantId", "default");
        p.put("accountSid", twilio().accountSid());
        p.put("authTokenFile", tokenFile(id).toString());
        p.put("fromNumbers", OUR_NUMBER);
        p.put("publicBaseUrl", PUBLIC_BASE);
        p.put("apiBaseUrl", twilio().baseUrl());
        p.put("queue", queue);
        p.put("maxRedeliveries", 200);
        p.put("maxRedeliveryDelaySeconds", 2L);
        p.put("settleSeconds", 2L);
        p.putAll(extra);
        c.update(p);
    }

    /** A customer number of this run. */
    static String customerNumber() {
        return "+8190" + String.format("%08d", Math.floorMod(System.nanoTime(), 100_000_000L));
    }

    /** A message SID of this run. */
    static String messageSid() throws IOException {
        return twilio().newMessageSid(false);
    }
}
