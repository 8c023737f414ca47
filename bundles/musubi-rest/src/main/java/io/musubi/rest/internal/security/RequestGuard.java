package io.musubi.rest.internal.security;

import io.musubi.rest.Allowed;
import io.musubi.rest.Public;

import io.musubi.store.ApiKey;
import io.musubi.rest.internal.app.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every request of the API goes through, in this order:
 * <ol>
 *   <li>credentials, if any ({@code Authorization: Bearer <jwt or key>} or {@code X-API-Key: <key>}) are verified;
 *   invalid ones are refused with 401 even on public resources;</li>
 *   <li>the rate limit of the caller, or of the client address without valid credentials: 429 with
 *   {@code Retry-After};</li>
 *   <li>access to the resource method ({@link Access}): 401 without credentials, 403 for a caller without an allowed
 *   role, and 403 for everyone on a method that declares no access;</li>
 *   <li>the body size: 413 for a Content-Length over the limit, and a counting stream for bodies without one.</li>
 * </ol>
 * Refusals are problem+json; their reason is logged with the key id or token subject, never a secret or token;
 * 429s at most once per caller and {@link #TOO_MANY_LOG_INTERVAL}, so that a flood cannot flood the log.
 * Container-neutral: the filter of the OSGi whiteboard and the tests feed it the request, the matched resource and
 * the client address.
 */
public final class RequestGuard {

    static final String API_KEY_HEADER = "X-API-Key";
    static final String BEARER = "Bearer";
    static final String CHALLENGE = "Bearer realm=\"musubi\"";
    private static final Logger LOG = LoggerFactory.getLogger(RequestGuard.class);
    /** At most one 429 line per caller (or client address) in this time, with the count of those held back. */
    static final Duration TOO_MANY_LOG_INTERVAL = Duration.ofSeconds(60);

    private final ApiKeyAuthenticator apiKeys;
    private final JwtVerifier jwt;
    private final RateLimiter limiter;
    private final long maxBodyBytes;
    private final Map<Target, Access> access = new ConcurrentHashMap<>();
    private final LogThrottle tooManyLog;

    private record Target(Method method, Class<?> resourceClass) {
    }

    /**
     * @param jwt          verifier of bearer tokens, or {@code null} when JWT is off
     * @param maxBodyBytes largest request body accepted
     */
    RequestGuard(ApiKeyAuthenticator apiKeys, JwtVerifier jwt, RateLimiter limiter, long maxBodyBytes) {
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        this.jwt = jwt;
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        this.maxBodyBytes = maxBodyBytes;
        this.tooManyLog = new LogThrottle(TOO_MANY_LOG_INTERVAL, limiter.clock());
    }

    /** Checks the request; a refusal aborts it with its problem response. */
    public void check(ContainerRequestContext request, ResourceInfo resource, String remoteAddress) {
        Method method = resource == null ? null : resource.getResourceMethod();
        String where = method == null ? "unmatched" : method.getDeclaringClass().getSimpleName() + "#"
                + method.getName();
        Credential credential;
        try {
            credential = credential(request);
        } catch (AuthenticationException e) {
            refuseUnauthenticated(request, remoteAddress, where, e);
            return;
        }
        Caller caller = null;
        if (credential != null) {
            try {
                caller = credential.isKey() ? apiKeys.authenticate(credential.value()) : bearer(credential.value());
            } catch (AuthenticationException e) {
                refuseUnauthenticated(request, remoteAddress, where, e);
                return;
            } catch (RuntimeException e) {
                LOG.error("503 for {}: credentials could not be checked ({})", where, e.getClass().getSimpleName(),
                        e);
                request.abortWith(Problem.of(Response.Status.SERVICE_UNAVAILABLE,
                        "credentials cannot be checked right now, retry later").toResponse());
                return;
            }
        }
        String bucket = caller == null ? "address " + remoteAddress : caller.tenantId() + "/" + caller.subject();
        if (rateLimited(request, bucket, where)) {
            return;
        }
        Access rule = method == null ? Access.CLOSED
                : access.computeIfAbsent(new Target(method, resource.getResourceClass()),
                        t -> Access.of(t.method(), t.resourceClass()));
        if (rule.kind() == Access.Kind.CLOSED) {
            LOG.warn("403 for {}: the method declares no access (@Allowed or @Public){}", where,
                    caller == null ? "" : ", caller " + caller.subject());
            request.abortWith(Problem.of(Response.Status.FORBIDDEN, "this operation is not open to any caller")
                    .toResponse());
            return;
        }
        if (rule.kind() == Access.Kind.ROLES && caller == null) {
            LOG.debug("401 for {}: no credentials", where);
            request.abortWith(unauthorized("credentials required: Authorization: Bearer <token or API key>, "
                    + "or X-API-Key", false));
            return;
        }
        if (!rule.admits(caller)) {
            LOG.warn("403 for {}: caller {} of tenant {} has roles {}, needs one of {}", where, caller.subject(),
                    caller.tenantId(), caller.roles(), rule.roles());
            request.abortWith(Problem.of(Response.Status.FORBIDDEN, "your role does not allow this operation")
                    .toResponse());
            return;
        }
        if (caller != null) {
            SecurityContext original = request.getSecurityContext();
            request.setSecurityContext(new CallerSecurityContext(caller, original != null && original.isSecure(),
                    credential.scheme()));
        }
        int length = request.getLength();
        if (length > maxBodyBytes) {
            LOG.warn("413 for {}: Content-Length {} over {} bytes", where, length, maxBodyBytes);
            request.abortWith(tooLarge(maxBodyBytes));
            return;
        }
        request.setEntityStream(new LimitedInputStream(request.getEntityStream(), maxBodyBytes));
    }

    private Caller bearer(String token) throws AuthenticationException {
        if (jwt == null) {
            throw new AuthenticationException("bearer tokens are not accepted here; use an API key",
                    "bearer token presented but JWT is not configured");
        }
        return jwt.verify(token);
    }

    private void refuseUnauthenticated(ContainerRequestContext request, String remoteAddress, String where,
                                       AuthenticationException e) {
        if (rateLimited(request, "address " + remoteAddress, where)) {
            return;
        }
        LOG.warn("401 for {} from {}: {}", where, LogText.safe(remoteAddress), e.getMessage());
        request.abortWith(unauthorized(e.clientDetail(), true));
    }

    private boolean rateLimited(ContainerRequestContext request, String bucket, String where) {
        long retryAfter = limiter.acquire(bucket);
        if (retryAfter == 0) {
            return false;
        }
        long held = tooManyLog.admit(bucket);
        if (held >= 0) {
            LOG.info("429 for {}: rate limit of {}, retry after {} s{}", where, LogText.safe(bucket), retryAfter,
                    held == 0 ? "" : " (" + held + " more 429s of this caller not logged in the last "
                            + TOO_MANY_LOG_INTERVAL.toSeconds() + " s)");
        }
        request.abortWith(Response.fromResponse(Problem.of(Response.Status.TOO_MANY_REQUESTS,
                        "rate limit exceeded, retry after " + retryAfter + " s").toResponse())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter)).build());
        return true;
    }

    private static Response unauthorized(String detail, boolean invalid) {
        return Response.fromResponse(Problem.of(Response.Status.UNAUTHORIZED, detail).toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, invalid ? CHALLENGE + ", error=\"invalid_token\"" : CHALLENGE)
                .build();
    }

    static Response tooLarge(long limit) {
        return Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "request body larger than " + limit + " bytes")
                .toResponse();
    }

    /** The one credential of a request, or {@code null} without any; two, or an unusable header, are refused. */
    private static Credential credential(ContainerRequestContext request) throws AuthenticationException {
        List<String> authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        List<String> apiKey = request.getHeaders().get(API_KEY_HEADER);
        int count = (authorization == null ? 0 : authorization.size()) + (apiKey == null ? 0 : apiKey.size());
        if (count == 0) {
            return null;
        }
        if (count > 1) {
            throw new AuthenticationException("send exactly one credential", "more than one credential header");
        }
        if (apiKey != null) {
            String key = apiKey.get(0).strip();
            if (!ApiKey.looksLikeKey(key)) {
                throw new AuthenticationException("malformed API key", "X-API-Key without the msk_ prefix");
            }
            return new Credential(API_KEY_HEADER, true, key);
        }
        String header = authorization.get(0).strip();
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            throw new AuthenticationException("only the Bearer scheme is accepted", "Authorization not Bearer");
        }
        String value = header.substring(space + 1).strip();
        return new Credential(BEARER, ApiKey.looksLikeKey(value), value);
    }

    /** A credential and the scheme it came with ({@value #BEARER} or {@value #API_KEY_HEADER}). */
    private record Credential(String scheme, boolean isKey, String value) {
        @Override
        public String toString() {
            return "Credential[" + scheme + ", " + (isKey ? "API key" : "token") + "]";
        }
    }

    @Override
    public String toString() {
        return "RequestGuard[jwt=" + (jwt != null) + ", " + limiter + ", maxBody=" + maxBodyBytes + "]";
    }
}
