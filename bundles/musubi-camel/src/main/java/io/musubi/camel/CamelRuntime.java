package io.musubi.camel;

import java.util.List;

/** The hub's view of the CamelContexts the runtime manages, for health and shell commands. */
public interface CamelRuntime {

    /** One managed context. */
    record ContextInfo(String name, String bundle, String status, int routes, int startedRoutes) {
        public boolean isHealthy() {
            return "Started".equals(status) && routes == startedRoutes;
        }
    }

    List<ContextInfo> contexts();
}
