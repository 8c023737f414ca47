package io.musubi.rest.internal.security;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the REST API's security, PID {@value #PID} (etc/io.musubi.rest.security.cfg). Relative file names
 * are resolved against {@code karaf.etc}. JWT bearer tokens are accepted only when a key file is configured.
 */
@ObjectClassDefinition(name = "Musubi REST security",
        description = "Authentication (API keys, JWT), rate limit and request size limit of the REST API.")
public @interface SecurityConfig {

    String PID = "io.musubi.rest.security";

    @AttributeDefinition(name = "JWT issuer", description = "Required iss claim; required when JWT is on")
    String jwt_issuer() default "";

    @AttributeDefinition(name = "JWT audience", description = "Required aud value; required when JWT is on")
    String jwt_audience() default "";

    @AttributeDefinition(name = "JWT HMAC secret file",
            description = "File holding the shared secret (at least 32 bytes) for HS256/HS384/HS512; "
                    + "exclusive with the JWKS file")
    String jwt_hmacSecretFile() default "";

    @AttributeDefinition(name = "JWT JWKS file",
            description = "JSON Web Key Set with the issuer's public keys, for RS256 (RSA) and ES256 (EC P-256)")
    String jwt_jwksFile() default "";

    @AttributeDefinition(name = "JWT clock skew", description = "Seconds of tolerance on exp and nbf", min = "0")
    int jwt_clockSkewSeconds() default 60;

    @AttributeDefinition(name = "API key cache",
            description = "Seconds a looked-up API key is kept in memory: a revoked key is refused after at most "
                    + "this long", min = "0", max = "60")
    int apiKey_cacheSeconds() default 5;

    @AttributeDefinition(name = "Rate",
            description = "Requests per second per caller (per client address without credentials); 0: no limit",
            min = "0")
    double rate_perSecond() default 20;

    @AttributeDefinition(name = "Burst", description = "Requests a caller may make at once before the rate applies",
            min = "1")
    int rate_burst() default 40;

    @AttributeDefinition(name = "Maximum request body", description = "Bytes; larger bodies get 413", min = "1")
    long body_maxBytes() default 1_048_576L;

    @AttributeDefinition(name = "Admin key file",
            description = "Where the first start writes the admin API key it creates when no active key exists; "
                    + "empty: never create one")
    String bootstrap_adminKeyFile() default "musubi/admin.key";
}
