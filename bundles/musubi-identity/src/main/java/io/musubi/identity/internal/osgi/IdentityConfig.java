package io.musubi.identity.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of identity resolution, PID {@code io.musubi.identity} (etc/io.musubi.identity.cfg). */
@ObjectClassDefinition(name = "Musubi customer identity")
public @interface IdentityConfig {

    @AttributeDefinition(name = "Default region",
            description = "ISO 3166 region for phone and fax numbers written without a country code, e.g. JP.")
    String defaultRegion() default "JP";
}
