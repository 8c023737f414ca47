package io.musubi.rest.internal.resources;

import io.musubi.rest.RestApi;

import io.musubi.rest.Public;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/** {@code GET /api/v1/openapi.json}: the OpenAPI document, generated from the resource classes at build time. */
@Component(service = OpenApiResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("openapi.json")
@Public
@Tag(name = "meta", description = "Health, version, this document")
public final class OpenApiResource {

    static final String DOCUMENT = "openapi.json";

    private final byte[] document = load();

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "This API's OpenAPI 3 document")
    public byte[] get() {
        if (document == null) {
            throw new NotFoundException("the OpenAPI document was not built into this bundle");
        }
        return document;
    }

    private static byte[] load() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
