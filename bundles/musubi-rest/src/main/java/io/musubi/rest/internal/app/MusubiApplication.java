package io.musubi.rest.internal.app;

import io.musubi.rest.RestApi;

import io.musubi.rest.internal.security.BodyTooLargeMapper;
import jakarta.ws.rs.core.Application;

import java.util.Map;
import java.util.Set;

import org.glassfish.jersey.jackson.JacksonFeature;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationBase;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtensionSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;

/**
 * The hub's Jakarta REST application, mounted at {@code /api/v1}. Resources join it with
 * {@code @JakartarsApplicationSelect("(osgi.jakartars.name=musubi)")}; connectors that expose webhooks do
 * the same from their own bundles.
 *
 * <p>The application requires the security filter ({@code io.musubi.rest.internal.security.SecurityFilter}): while it is not active (missing key store,
 * invalid configuration) the whiteboard does not serve the application at all, so the API fails closed. Jackson's
 * own exception mappers (plain text, quoting the input) are left out; {@link JsonProcessingExceptionMapper} answers
 * with problem+json instead.
 */
@Component(service = Application.class)
@JakartarsApplicationBase(RestApi.BASE)
@JakartarsName(RestApi.NAME)
@JakartarsExtensionSelect("(osgi.jakartars.name=" + RestApi.SECURITY_FILTER + ")")
public final class MusubiApplication extends Application {

    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", Boolean.TRUE);
    }

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(ObjectMapperResolver.class, ProblemExceptionMapper.class, JsonProcessingExceptionMapper.class,
                BodyTooLargeMapper.class);
    }

    @Override
    public Set<Object> getSingletons() {
        return Set.of(JacksonFeature.withoutExceptionMappers());
    }
}
