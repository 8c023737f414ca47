package io.musubi.rest.internal.resources;

import io.musubi.rest.RestApi;

import io.musubi.rest.Public;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/** {@code GET /api/v1/version}: what is running. */
@Component(service = VersionResource.class, immediate = true)
@JakartarsResource
@Public
@Tag(name = "meta", description = "Health, version, this document")
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("version")
public final class VersionResource {

    /** The body of the version resource. */
    public record Version(String name, String version, String apiVersion, String karaf, String java) {
    }

    private final Version version;

    @Activate
    public VersionResource(BundleContext bundleContext) {
        this.version = new Version("Musubi", bundleContext.getBundle().getVersion().toString(), "v1",
                System.getProperty("karaf.version", ""), System.getProperty("java.version", ""));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Product and API version")
    public Version version() {
        return version;
    }
}
