package io.musubi.rest.internal.security;

import io.musubi.rest.RestApi;

import io.musubi.store.ApiKeyRepository;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtension;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's authentication, authorisation, rate and size limits ({@link RequestGuard}) as a whiteboard filter of the
 * musubi application, configured by PID {@value SecurityConfig#PID}. The application selects this extension by name
 * ({@value io.musubi.rest.RestApi#SECURITY_FILTER}), so without an active filter the API is not served at all: it fails closed. On activation it
 * creates the first admin key when no active key exists ({@link AdminKeyBootstrap}).
 */
@Component(service = ContainerRequestFilter.class, configurationPid = SecurityConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = SecurityConfig.class)
@JakartarsExtension
@JakartarsName(RestApi.SECURITY_FILTER)
@JakartarsApplicationSelect(RestApi.SELECT)
@Priority(Priorities.AUTHENTICATION)
public final class SecurityFilter implements ContainerRequestFilter {

    /** Request property holding the client's address, for resources with limits of their own per client. */
    public static final String CLIENT_ADDRESS = "io.musubi.rest.clientAddress";
    private static final Logger LOG = LoggerFactory.getLogger(SecurityFilter.class);

    private final RequestGuard guard;

    @Context
    private ResourceInfo resourceInfo;

    @Context
    private HttpServletRequest servletRequest;

    @Activate
    public SecurityFilter(SecurityConfig config, @Reference ApiKeyRepository keys) {
        Clock clock = Clock.systemUTC();
        Path etc = Path.of(System.getProperty("karaf.etc", "etc"));
        JwtVerifier jwt = jwt(config, etc, clock);
        this.guard = new RequestGuard(
                new ApiKeyAuthenticator(keys, clock, Duration.ofSeconds(config.apiKey_cacheSeconds())), jwt,
                new RateLimiter(config.rate_perSecond(), config.rate_burst(), clock), config.body_maxBytes());
        LOG.info("REST security: API keys (cache {} s), JWT {}, rate {}/s burst {}, body limit {} bytes",
                config.apiKey_cacheSeconds(), jwt == null ? "off" : "on " + jwt.algorithms(),
                config.rate_perSecond(), config.rate_burst(), config.body_maxBytes());
        bootstrap(keys, config.bootstrap_adminKeyFile(), etc);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String address = servletRequest.getRemoteAddr();
        request.setProperty(CLIENT_ADDRESS, address);
        guard.check(request, resourceInfo, address);
    }

    private static JwtVerifier jwt(SecurityConfig config, Path etc, Clock clock) {
        Path hmac = file(etc, config.jwt_hmacSecretFile());
        Path jwks = file(etc, config.jwt_jwksFile());
        if (hmac == null && jwks == null) {
            return null;
        }
        try {
            return JwtVerifier.fromFiles(config.jwt_issuer(), config.jwt_audience(), hmac, jwks,
                    Duration.ofSeconds(config.jwt_clockSkewSeconds()), clock);
        } catch (IOException e) {
            String reason = "cannot read the key file " + e.getMessage() + " (" + e.getClass().getSimpleName() + ")";
            LOG.error("REST security not started, JWT configuration of {} is invalid: {}", SecurityConfig.PID, reason);
            throw new IllegalStateException("invalid JWT configuration: " + reason, e);
        } catch (IllegalArgumentException e) {
            LOG.error("REST security not started, JWT configuration of {} is invalid: {}", SecurityConfig.PID,
                    e.getMessage());
            throw new IllegalStateException("invalid JWT configuration: " + e.getMessage(), e);
        }
    }

    private static void bootstrap(ApiKeyRepository keys, String fileName, Path etc) {
        Path file = file(etc, fileName);
        if (file == null) {
            return;
        }
        try {
            Optional<String> created = AdminKeyBootstrap.ensure(keys, file);
            created.ifPresent(id -> LOG.warn("No active API key existed: created admin key {} for tenant '{}' and "
                    + "wrote it to {} (owner-only). Store it safely, then delete the file.", id,
                    AdminKeyBootstrap.TENANT, file.toAbsolutePath()));
        } catch (IOException | RuntimeException e) {
            LOG.error("No active API key exists and the admin key could not be written to {}: {}",
                    file.toAbsolutePath(), e.toString());
        }
    }

    private static Path file(Path etc, String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        return etc.resolve(name.trim());
    }

    @Override
    public String toString() {
        return "SecurityFilter[" + guard + "]";
    }
}
