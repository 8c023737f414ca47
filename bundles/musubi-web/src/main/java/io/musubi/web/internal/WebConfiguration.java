package io.musubi.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the web pages, PID {@value #PID} (etc/io.musubi.web.cfg). */
@ObjectClassDefinition(name = "Musubi web pages",
        description = "The agent desktop, the supervisor view and the customer widget served by the hub.")
public @interface WebConfiguration {

    String PID = "io.musubi.web";

    @AttributeDefinition(description = "Origins of the company sites that may embed the customer widget in a frame, "
            + "separated by commas or spaces, e.g. https://www.example.co.jp (the widget page's CSP frame-ancestors); "
            + "empty: only the hub's own pages")
    String widgetFrameAncestors() default "";
}
