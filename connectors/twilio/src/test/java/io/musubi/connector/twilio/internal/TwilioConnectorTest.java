package io.musubi.connector.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.api.Health;
import io.musubi.spi.ContentStore;
import io.musubi.spi.IngressGateway;

import jakarta.jms.ConnectionFactory;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The component's configuration rules: what makes it DOWN, what it shows operators, never a secret. */
class TwilioConnectorTest {

    static final String TOKEN = "5f4dcc3b5aa765d61d8327deb882cf99";

    @TempDir
    Path etc;

    private final List<String> registered = new ArrayList<>();
    private final List<TwilioConnector> connectors = new ArrayList<>();

    @AfterEach
    void deactivate() {
        connectors.forEach(TwilioConnector::deactivate);
        System.clearProperty("karaf.etc");
        System.clearProperty("karaf.data");
    }

    /** An instance of the configuration annotation: its defaults, with some values replaced. */
    private static TwilioConfiguration config(Map<String, Object> values) {
        return (TwilioConfiguration) Proxy.newProxyInstance(TwilioConfiguration.class.getClassLoader(),
                new Class<?>[] {TwilioConfiguration.class}, (proxy, method, args) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    return switch (method.getName()) {
                        case "hashCode" -> 0;
                        case "equals" -> proxy == args[0];
                        case "toString" -> "TwilioConfiguration";
                        case "annotationType" -> TwilioConfiguration.class;
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }

    private TwilioConnector connector(Map<String, Object> values) {
        System.setProperty("karaf.etc", etc.toString());
        System.setProperty("karaf.data", etc.resolve("data").toString());
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        registered.add(String.valueOf(args[0] instanceof Class<?> c ? c.getSimpleName() : args[0]));
                        return Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        IngressGateway ingress = events -> { };
        ConnectionFactory broker = (ConnectionFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConnectionFactory.class}, (p, m, a) -> {
                    throw new UnsupportedOperationException();
                });
        TwilioConnector c = new TwilioConnector(context, config(values), ingress, new MemoryContentStore(), broker);
        connectors.add(c);
        return c;
    }

    private Map<String, Object> complete() throws Exception {
        Path token = etc.resolve("twilio.token");
        Files.writeString(token, TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Map<String, Object> v = new HashMap<>();
        v.put("id", "twilio.main");
        v.put("accountSid", "AC" + "0123456789abcdef".repeat(2));
        v.put("authTokenFile", "twilio.token");
        v.put("publicBaseUrl", "https://hub.example.com/contact/");
        v.put("fromNumbers", new String[] {"+14155550100, +14155550101"});
        return v;
    }

    @Test
    void aCompleteConfigurationIsUpAndShowsNoSecret() throws Exception {
        TwilioConnector c = connector(complete());
        assertThat(registered).containsExactly("RouteContribution", "Connector", "WebhookHandler");
        Health h = c.health();
        assertThat(h.status()).isEqualTo(Health.Status.UP);
        Map<String, String> shown = c.describeConfiguration();
        assertThat(shown).containsEntry("publicBaseUrl", "https://hub.example.com/contact")
                .containsEntry("fromNumbers", "+14155550100,+14155550101")
                .containsEntry("authToken", "**** (file)")
                .containsEntry("webhookPath", "/webhooks/twilio/twilio.main");
        assertThat(shown.toString()).doesNotContain(TOKEN).doesNotContain(etc.toString());
        assertThat(h.toString()).doesNotContain(TOKEN);
    }

    @Test
    void whatIsMissingOrWrongIsSaidInHealth() throws Exception {
        Map<String, Object> v = complete();
        v.put("accountSid", "");
        v.put("publicBaseUrl", "ftp://hub.example.com");
        v.put("fromNumbers", new String[] {"0312345678"});
        v.put("messagingServiceSid", "MGxyz");
        Health h = connector(v).health();
        assertThat(h.status()).isEqualTo(Health.Status.DOWN);
        assertThat(h.detail()).contains("accountSid is not set", "publicBaseUrl must be http(s)",
                "fromNumbers holds a number that is not E.164", "messagingServiceSid is not a Messaging Service SID");
    }

    @Test
    void aTokenFileOthersCanReadIsRefusedUntilFixed() throws Exception {
        Map<String, Object> v = complete();
        Path token = etc.resolve("twilio.token");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        TwilioConnector c = connector(v);
        assertThat(c.health().status()).isEqualTo(Health.Status.DOWN);
        assertThat(c.health().detail()).contains("chmod 600").doesNotContain(TOKEN);
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        assertThat(c.health().status()).isEqualTo(Health.Status.UP);
        // Opened to others later: seen at the next health check, not only at start.
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThat(c.health().status()).isEqualTo(Health.Status.DOWN);
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        assertThat(c.health().status()).isEqualTo(Health.Status.UP);
    }

    @Test
    void anApiKeyNeedsItsSecret() throws Exception {
        Map<String, Object> v = complete();
        v.put("apiKeySid", "SK" + "0".repeat(32));
        TwilioConnector c = connector(v);
        assertThat(c.health().status()).isEqualTo(Health.Status.DOWN);
        assertThat(c.health().detail()).contains("API key secret not available");
        assertThat(c.describeConfiguration()).containsEntry("apiKeySecret", "");
    }

    @Test
    void publicBaseUrlsAndNumbersAreNormalised() {
        List<String> problems = new ArrayList<>();
        assertThat(TwilioConnector.publicBaseUrl(" https://hub.example.com:8443/x// ", problems))
                .contains("https://hub.example.com:8443/x");
        assertThat(TwilioConnector.publicBaseUrl("https://hub.example.com/?a=b", problems)).isEmpty();
        assertThat(TwilioConnector.publicBaseUrl("https://user@hub.example.com", problems)).isEmpty();
        assertThat(TwilioConnector.publicBaseUrl("", problems)).isEmpty();
        assertThat(problems).hasSize(3);
        assertThat(TwilioConnector.fromNumbers(new String[] {"+1415 ,", " +8150"}, new ArrayList<>()))
                .containsExactly("+1415", "+8150");
    }
}
