package io.musubi.rest.internal.security;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** A resource that forgot to declare access: nobody may call it. */
@Path("closed")
@Produces(MediaType.APPLICATION_JSON)
public class ClosedResource {

    @GET
    public Map<String, Object> get() {
        return Map.of("leaked", true);
    }
}
