package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/**
 * The resolution gate: every feature of Musubi's repository installs in the real distribution, every
 * bundle ends ACTIVE, and the hub reports itself healthy with the broker up. (karaf:verify cannot run on
 * this mirror; this test takes its place.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class FeaturesIT extends MusubiTestSupport {

    @Inject
    private FeaturesService featuresService;

    @Test
    public void everyMusubiFeatureInstallsAndEveryBundleIsActive() throws Exception {
        List<String> musubiFeatures = new ArrayList<>();
        for (Feature f : featuresService.listFeatures()) {
            if (f.getName().startsWith("musubi-")) {
                musubiFeatures.add(f.getName());
            }
        }
        assertTrue("features repository lists the Musubi features: " + musubiFeatures,
                musubiFeatures.containsAll(List.of("musubi-core", "musubi-rest", "musubi-broker", "musubi-history", "musubi-shell",
                        "musubi-jakarta-rest", "musubi-connector-demo", "musubi-connector-webchat", "musubi-web",
                        "musubi-connector-line")));
        for (String name : musubiFeatures) {
            if (!featuresService.isInstalled(featuresService.getFeature(name))) {
                featuresService.installFeature(name);
            }
            assertTrue(name + " installed", featuresService.isInstalled(featuresService.getFeature(name)));
        }
        await("every bundle ACTIVE", Duration.ofSeconds(60), () -> notActive().isEmpty());
        assertEquals(List.of(), notActive());
    }

    @Test
    public void healthAnswers200WithTheBrokerUp() throws Exception {
        await("health 200", Duration.ofSeconds(60), () -> statusOf("/api/v1/health") == 200);
        await("broker UP", Duration.ofSeconds(30), () -> body("/api/v1/health").contains("\"broker\":{\"status\":\"UP\""));
        HttpResponse<String> health = get("/api/v1/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body(), health.body().contains("\"musubi-ingress\":\"Started 1/1 routes\""));
        assertTrue(health.body(), health.body().contains("\"id\":\"demo\""));

        HttpResponse<String> version = get("/api/v1/version");
        assertEquals(200, version.statusCode());
        assertTrue(version.body(), version.body().contains("\"name\":\"Musubi\""));
    }

    @Test
    public void coreServicesAreRegistered() throws Exception {
        for (String service : List.of("io.musubi.acd.AcdEngine", "io.musubi.camel.CamelRuntime",
                "io.musubi.history.HistoryStore", "io.musubi.identity.IdentityService",
                "jakarta.jms.ConnectionFactory", "io.musubi.spi.Connector")) {
            await(service + " registered", Duration.ofSeconds(60),
                    () -> bundleContext.getServiceReference(service) != null);
        }
    }

    @Test
    public void unknownPathsAnswerProblemJson() throws Exception {
        await("REST up", Duration.ofSeconds(60), () -> statusOf("/api/v1/version") == 200);
        HttpResponse<String> missing = get("/api/v1/no-such-resource");
        assertEquals(404, missing.statusCode());
        assertEquals("application/problem+json", missing.headers().firstValue("Content-Type").orElse(""));
        assertTrue(missing.body(), missing.body().contains("\"status\":404"));
    }

    @Test
    public void noDefaultCredentialsAndNoRemoteShell() {
        List<String> symbolicNames = Arrays.stream(bundleContext.getBundles()).map(Bundle::getSymbolicName)
                .collect(Collectors.toList());
        assertTrue("no SSH server bundle", symbolicNames.stream().noneMatch(n -> n.equals("org.apache.karaf.shell.ssh")));
        assertTrue("no jdbc shell", symbolicNames.stream().noneMatch(n -> n.startsWith("org.apache.karaf.jdbc")));
        assertTrue("no instance shell", symbolicNames.stream().noneMatch(n -> n.startsWith("org.apache.karaf.instance")));
        assertEquals("admin", System.getProperty("karaf.secured.command.compulsory.roles"));
    }

    private List<String> notActive() {
        List<String> result = new ArrayList<>();
        for (Bundle b : bundleContext.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                result.add(b.getSymbolicName() + "/" + b.getVersion() + " state " + b.getState());
            }
        }
        return result;
    }
}
