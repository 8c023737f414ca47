package io.musubi.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Boots the real distribution (distribution/target/*.tar.gz) once for the whole suite: what a site runs is
 * what is tested. Polls with deadlines, never sleeps for a fixed time to wait for a result.
 */
public abstract class MusubiTestSupport {

    static final String HTTP_PORT = "18181";

    @Inject
    protected BundleContext bundleContext;

    @Configuration
    public Option[] config() {
        String distribution = System.getProperty("musubi.distribution");
        File tarGz = new File(distribution);
        if (!tarGz.isFile()) {
            throw new IllegalStateException("Distribution not built: " + distribution);
        }
        String localRepo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(tarGz.toURI().toString())
                    .karafVersion(System.getProperty("karaf.version"))
                    .name("Musubi")
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            // Kept under itests/target/exam so a failing run's karaf.log can be read.
            keepRuntimeFolder(),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevel.INFO),
            // Pax Exam installs its probe from the local Maven repository.
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", localRepo),
            editConfigurationFilePut("etc/org.apache.felix.http.cfg", "org.osgi.service.http.port", HTTP_PORT),
            systemProperty("musubi.itest").value("true"),
        };
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes ({@link Await#until}). */
    protected static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, timeout, condition);
    }

    /** The installed bundle with this symbolic name. */
    protected Bundle bundle(String symbolicName) {
        for (Bundle b : bundleContext.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(symbolicName + " not installed");
    }

    /** The body of a GET, or "" when the hub does not answer. */
    protected static String body(String path) {
        try {
            return get(path).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    protected static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    protected static int statusOf(String path) {
        try {
            return get(path).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
