package io.musubi.hub.internal.recovery;

import io.musubi.api.Health;
import io.musubi.api.HealthContributor;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * Health {@code recovery}: DOWN while the ACD's state is being rebuilt from the store at start (the hub answers 503
 * and its ingress is not consuming yet), UP once every tenant is back, DEGRADED when a tenant could not be restored
 * (its interactions are then in the store only; the log says why). A component of its own, so that the health page
 * never waits for the recovery itself.
 */
@Component(service = {RecoveryStatus.class, HealthContributor.class}, immediate = true,
        property = HealthContributor.NAME_PROPERTY + "=recovery")
public final class RecoveryStatus implements HealthContributor {

    private volatile Health health = Health.down("rebuilding the ACD from the store");

    @Override
    public String name() {
        return "recovery";
    }

    @Override
    public Health health() {
        return health;
    }

    void failed(String detail) {
        health = Health.down(detail);
    }

    void done(String detail, Map<String, String> details, int failedTenants) {
        health = new Health(failedTenants == 0 ? Health.Status.UP : Health.Status.DEGRADED, detail, details);
    }
}
