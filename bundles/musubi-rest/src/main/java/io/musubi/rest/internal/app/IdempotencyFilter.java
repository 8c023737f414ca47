package io.musubi.rest.internal.app;

import io.musubi.rest.RestApi;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.musubi.store.ApiIdempotencyRepository;
import io.musubi.model.InputRules;
import io.musubi.rest.internal.security.Caller;
import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtension;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Honours the {@code Idempotency-Key} header on every POST (IETF httpapi-idempotency-key-header): the first request
 * with a key runs and its response is stored, per tenant; a repeat with the same key and the same request gets the
 * stored response again, marked {@code Idempotent-Replayed: true}, and has no second effect. The same key with a
 * different request is a 422; a repeat while the first is still running is a 409. Responses that say "try again"
 * (5xx, 401, 403, 429) are not kept, so the key can be retried. Keys are kept for the retention of the
 * idempotency purge (docs/rest.md).
 *
 * <p>"In progress" is not trusted for ever: a claim older than {@link IdempotencyConfig#claimTimeoutSeconds()} is
 * taken over by a retry of the same request (the first one died or hung, and can no longer store its response), and
 * the claims a hub node held when it stopped are dropped when it starts again.
 */
@Component(service = {ContainerRequestFilter.class, ContainerResponseFilter.class}, immediate = true,
        configurationPid = IdempotencyConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = IdempotencyConfig.class)
@JakartarsExtension
@JakartarsApplicationSelect(RestApi.SELECT)
@Priority(Priorities.USER)
public final class IdempotencyFilter implements ContainerRequestFilter, ContainerResponseFilter {

    public static final String HEADER = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_KEY = InputRules.MESSAGE_ID_MAX;
    private static final String CLAIM = IdempotencyFilter.class.getName() + ".claim";
    private static final Set<Integer> RETRYABLE = Set.of(401, 403, 408, 429);
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyFilter.class);

    private final ApiIdempotencyRepository keys;
    private final Duration claimTimeout;

    @Activate
    public IdempotencyFilter(@Reference ApiIdempotencyRepository keys, IdempotencyConfig config) {
        this(keys, Duration.ofSeconds(Math.max(1, config.claimTimeoutSeconds())));
    }

    public IdempotencyFilter(ApiIdempotencyRepository keys, Duration claimTimeout) {
        this.keys = keys;
        this.claimTimeout = claimTimeout;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        String key = request.getHeaderString(HEADER);
        if (key == null || !HttpMethod.POST.equals(request.getMethod())
                || !(request.getSecurityContext().getUserPrincipal() instanceof Caller caller)) {
            return;
        }
        if (key.isBlank() || !InputRules.isName(key, MAX_KEY)) {
            request.abortWith(Problem.of(Response.Status.BAD_REQUEST, HEADER + ": 1 to " + MAX_KEY
                    + " characters, no surrounding white space, no control or bidirectional formatting characters")
                    .toResponse());
            return;
        }
        byte[] body = request.hasEntity() ? request.getEntityStream().readAllBytes() : new byte[0];
        request.setEntityStream(new ByteArrayInputStream(body));
        String hash = hash(request.getMethod() + ' ' + request.getUriInfo().getPath() + '\n', body);
        Optional<ApiIdempotencyRepository.Claim> claim = keys.claim(caller.tenantId(), key, hash, claimTimeout);
        if (claim.isPresent()) {
            request.setProperty(CLAIM, claim.get());
            return;
        }
        Optional<ApiIdempotencyRepository.Stored> stored = keys.find(caller.tenantId(), key);
        if (stored.isEmpty()) {
            request.abortWith(Problem.of(Response.Status.CONFLICT,
                    "a request with this " + HEADER + " has just finished; retry it").toResponse());
        } else if (!stored.get().requestHash().equals(hash)) {
            request.abortWith(Problem.of(new Unprocessable(),
                    HEADER + " was used for a different request").toResponse());
        } else if (stored.get().inProgress()) {
            request.abortWith(Problem.of(Response.Status.CONFLICT,
                    "a request with this " + HEADER + " is still in progress; retry it later").toResponse());
        } else {
            ApiIdempotencyRepository.Stored s = stored.get();
            Response.ResponseBuilder replay = Response.status(s.status()).header(REPLAYED, "true");
            if (s.body() != null) {
                replay.entity(s.body()).type(s.status() >= 400 ? Problem.PROBLEM_JSON : MediaType.APPLICATION_JSON_TYPE);
            }
            if (s.location() != null) {
                replay.header(HttpHeaders.LOCATION, s.location());
            }
            request.abortWith(replay.build());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(CLAIM) instanceof ApiIdempotencyRepository.Claim claim)) {
            return;
        }
        int status = response.getStatus();
        try {
            if (status >= 500 || RETRYABLE.contains(status)) {
                keys.release(claim);
                return;
            }
            Object entity = response.getEntity();
            String body = entity == null ? null
                    : entity instanceof String text ? text : ObjectMapperResolver.mapper().writeValueAsString(entity);
            if (!keys.complete(claim, status, response.getHeaderString(HttpHeaders.LOCATION), body)) {
                LOG.warn("A request of tenant {} ran longer than the {} claim timeout ({} s): a retry took its key "
                        + "over, so its response (status {}) is not the one replayed", claim.tenantId(), HEADER,
                        claimTimeout.toSeconds(), status);
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // The response still goes out; a repeat of the key will run the request again rather than replay.
            LOG.warn("Could not store the response for an {} (status {}): {}", HEADER, status,
                    e.getClass().getSimpleName());
            keys.release(claim);
        }
    }

    static String hash(String head, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(head.getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    /** 422, which jakarta.ws.rs.core.Response.Status does not name. */
    private static final class Unprocessable implements Response.StatusType {
        @Override
        public int getStatusCode() {
            return 422;
        }

        @Override
        public Response.Status.Family getFamily() {
            return Response.Status.Family.CLIENT_ERROR;
        }

        @Override
        public String getReasonPhrase() {
            return "Unprocessable Content";
        }
    }
}
