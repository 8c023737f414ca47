package io.musubi.acd;

import io.musubi.acd.internal.AcdCore;

import java.time.Clock;

/** Creates engines in plain Java (tests, benchmarks, embedding); in OSGi the engine is a DS service. */
public final class Acd {
    private Acd() {
    }

    public static AcdEngine newEngine(AcdConfig config, Clock clock) {
        return new AcdCore(config, clock);
    }

    public static AcdEngine newEngine(Clock clock) {
        return new AcdCore(AcdConfig.defaults(), clock);
    }
}
