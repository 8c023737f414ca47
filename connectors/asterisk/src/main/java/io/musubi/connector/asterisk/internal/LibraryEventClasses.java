package io.musubi.connector.asterisk.internal;

import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import org.asteriskjava.manager.event.ManagerEvent;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Asterisk-Java's own event classes, found the OSGi way. The library finds them by scanning the class path with
 * Reflections ({@code new Reflections("org.asteriskjava.manager.event")}), which sees nothing inside an OSGi framework:
 * its bundle's resources are {@code bundle:} URLs no Reflections URL type reads, so every event would be dropped. The
 * connector lists the classes from the library bundle's entries instead and registers them on each connection, as the
 * library's scan would have (docs/connectors/asterisk.md, "Asterisk-Java inside OSGi").
 */
final class LibraryEventClasses {

    private static final String PACKAGE = "org/asteriskjava/manager/event";

    private LibraryEventClasses() {
    }

    /** The concrete event classes of the library bundle; empty outside OSGi (the library's own scan works there). */
    static List<Class<? extends ManagerEvent>> find() {
        Bundle bundle = FrameworkUtil.getBundle(ManagerEvent.class);
        if (bundle == null) {
            return List.of();
        }
        List<Class<? extends ManagerEvent>> found = new ArrayList<>();
        Enumeration<URL> entries = bundle.findEntries(PACKAGE, "*.class", false);
        while (entries != null && entries.hasMoreElements()) {
            String path = entries.nextElement().getPath();
            String simple = path.substring(path.lastIndexOf('/') + 1, path.length() - ".class".length());
            if (simple.contains("$")) {
                continue;
            }
            try {
                Class<?> c = bundle.loadClass(PACKAGE.replace('/', '.') + "." + simple);
                if (ManagerEvent.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())
                        && !c.isInterface() && Modifier.isPublic(c.getModifiers())) {
                    c.getConstructor(Object.class);
                    found.add(c.asSubclass(ManagerEvent.class));
                }
            } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
                // not an event class the builder could use
            }
        }
        return List.copyOf(found);
    }
}
