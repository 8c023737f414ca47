package io.musubi.rest;

/**
 * The names another bundle needs to add endpoints to the hub's REST API on the Jakarta REST whiteboard: a resource
 * registered with {@code @JakartarsResource} and {@code @JakartarsApplicationSelect(RestApi.SELECT)} is served
 * under {@code /api/v1}, behind the same security filter, which lets a request through only to methods (or classes)
 * annotated {@link Allowed} with the caller's role, or {@link Public}.
 */
public final class RestApi {

    /** The application's base path. */
    public static final String BASE = "api/v1";
    /** The application's whiteboard name. */
    public static final String NAME = "musubi";
    /** The filter selecting the application, for {@code @JakartarsApplicationSelect}. */
    public static final String SELECT = "(osgi.jakartars.name=" + NAME + ")";
    /** The whiteboard name of the security filter the application requires. */
    public static final String SECURITY_FILTER = "musubi.security";

    private RestApi() {
    }
}
