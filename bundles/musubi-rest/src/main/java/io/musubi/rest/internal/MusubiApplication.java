package io.musubi.rest.internal;

import jakarta.ws.rs.core.Application;

import java.util.Map;
import java.util.Set;

import org.glassfish.jersey.jackson.JacksonFeature;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationBase;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;

/**
 * The hub's Jakarta REST application, mounted at {@code /api/v1}. Resources join it with
 * {@code @JakartarsApplicationSelect("(osgi.jakartars.name=musubi)")}; connectors that expose webhooks do
 * the same from their own bundles.
 */
@Component(service = Application.class)
@JakartarsApplicationBase(MusubiApplication.BASE)
@JakartarsName(MusubiApplication.NAME)
public final class MusubiApplication extends Application {

    static final String BASE = "api/v1";
    static final String NAME = "musubi";
    /** The application select filter; public for resources in sub-packages ({@code @JakartarsApplicationSelect}). */
    public static final String SELECT = "(osgi.jakartars.name=" + NAME + ")";

    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", Boolean.TRUE);
    }

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(JacksonFeature.class, ObjectMapperResolver.class, ProblemExceptionMapper.class);
    }
}
