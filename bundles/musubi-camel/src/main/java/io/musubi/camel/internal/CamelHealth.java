package io.musubi.camel.internal;

import io.musubi.api.Health;
import io.musubi.api.HealthContributor;
import io.musubi.camel.CamelRuntime;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The Camel runtime's contexts as a health contributor: DEGRADED if a context or route is not started. */
@Component(service = HealthContributor.class, property = HealthContributor.NAME_PROPERTY + "=camel")
public final class CamelHealth implements HealthContributor {

    private final CamelRuntime runtime;

    @Activate
    public CamelHealth(@Reference CamelRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String name() {
        return "camel";
    }

    @Override
    public Health health() {
        Map<String, String> details = new LinkedHashMap<>();
        boolean allOk = true;
        for (CamelRuntime.ContextInfo c : runtime.contexts()) {
            details.put(c.name(), c.status() + " " + c.startedRoutes() + "/" + c.routes() + " routes");
            allOk &= c.isHealthy();
        }
        return new Health(allOk ? Health.Status.UP : Health.Status.DEGRADED,
                details.size() + " contexts", details);
    }
}
