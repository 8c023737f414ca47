package io.musubi.acd;

/** The actor strings used on events (see {@link io.musubi.model.InteractionEvent#actor()}). */
public final class Actors {
    public static final String SYSTEM = "system";
    public static final String CUSTOMER = "customer";

    public static String agent(String id) {
        return "agent:" + id;
    }

    public static String supervisor(String id) {
        return "supervisor:" + id;
    }

    public static String connector(String id) {
        return "connector:" + id;
    }

    private Actors() {
    }
}
