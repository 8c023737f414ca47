package io.musubi.broker.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * Karaf's JAAS settings (PID {@code org.apache.karaf.jaas}, {@code etc/org.apache.karaf.jaas.cfg}) as far as the hub
 * needs them: how the realm {@code karaf} stores passwords. A change of that configuration restarts the broker client,
 * which then rewrites its user's entry in the new format.
 */
@Component(service = RealmSettings.class, configurationPid = RealmSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class RealmSettings {

    static final String PID = "org.apache.karaf.jaas";

    private final RealmPasswordFormat passwordFormat;

    @Activate
    public RealmSettings(Map<String, Object> properties) {
        this.passwordFormat = RealmPasswordFormat.fromRealmConfiguration(properties);
    }

    RealmPasswordFormat passwordFormat() {
        return passwordFormat;
    }
}
