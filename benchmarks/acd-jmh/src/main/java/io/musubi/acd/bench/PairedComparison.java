package io.musubi.acd.bench;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Compares two builds of the engine in one JVM, for a change that must not slow routing on a machine other work
 * shares: the {@link RoutingBenchmark} scenario and operation of each build (its own {@code benchmarks.jar}, loaded
 * by a class loader of its own) run in alternating slices of the same length, so that both see the same interference,
 * and the per-round ratio of their rates is reported. A whole JMH run of each build one after the other is only
 * comparable on a quiet machine.
 *
 * <p>Run: {@code java -Xms6g -Xmx6g -Xmn2g -XX:+UseParallelGC -cp benchmarks.jar
 * io.musubi.acd.bench.PairedComparison <before.jar> <after.jar> [rounds=30] [sliceMillis=1000] [warmupRounds=10]}.
 * Each round runs both builds once, in an order alternating between rounds.
 */
public final class PairedComparison {

    private PairedComparison() {
    }

    /** One build's scenario: {@code RoutingBenchmark.Indexed} loaded from its jar. */
    private static final class Build {
        final String name;
        final Object state;
        final Method op;
        long ops;
        long decisions;

        Build(String name, Path jar) throws Exception {
            this.name = name;
            ClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Class<?> c = Class.forName("io.musubi.acd.bench.RoutingBenchmark$Indexed", true, loader);
            var ctor = c.getDeclaredConstructor();
            ctor.setAccessible(true);
            state = ctor.newInstance();
            c.getMethod("setUp").invoke(state);
            op = c.getDeclaredMethod("op");
            op.setAccessible(true);
        }

        /** Runs operations for {@code millis}; returns operations per second. */
        double slice(long millis) throws Exception {
            long n = 0;
            long d = 0;
            long start = System.nanoTime();
            long end = start + millis * 1_000_000L;
            long now;
            do {
                for (int i = 0; i < 64; i++) {
                    d += (Long) op.invoke(state);
                }
                n += 64;
                now = System.nanoTime();
            } while (now < end);
            ops += n;
            decisions += d;
            return n * 1e9 / (now - start);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: PairedComparison <before.jar> <after.jar> [rounds] [sliceMillis] [warmupRounds]");
            System.exit(2);
        }
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        long slice = args.length > 3 ? Long.parseLong(args[3]) : 1000;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        Build a = new Build("before", Path.of(args[0]));
        Build b = new Build("after", Path.of(args[1]));
        System.out.printf(Locale.ROOT, "%d agents, %d queues, %d waiting; %d warm-up and %d measured rounds of %d ms"
                + " per build%n", Scenario.AGENTS, Scenario.QUEUES, Scenario.WAITING, warmup, rounds, slice);
        for (int r = 0; r < warmup; r++) {
            a.slice(slice);
            b.slice(slice);
        }
        a.ops = 0;
        a.decisions = 0;
        b.ops = 0;
        b.decisions = 0;
        double[] rateA = new double[rounds];
        double[] rateB = new double[rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                rateA[r] = a.slice(slice);
                rateB[r] = b.slice(slice);
            } else {
                rateB[r] = b.slice(slice);
                rateA[r] = a.slice(slice);
            }
            ratio[r] = rateB[r] / rateA[r];
        }
        print(a, rateA);
        print(b, rateB);
        Arrays.sort(ratio);
        System.out.printf(Locale.ROOT, "after / before, per round: median %.3f, quartiles %.3f – %.3f, min %.3f,"
                + " max %.3f%n", quantile(ratio, 0.5), quantile(ratio, 0.25), quantile(ratio, 0.75), ratio[0],
                ratio[ratio.length - 1]);
    }

    private static void print(Build x, double[] rates) {
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-6s median %,.0f ops/s (quartiles %,.0f – %,.0f), %.2f decisions per op%n",
                x.name, quantile(sorted, 0.5), quantile(sorted, 0.25), quantile(sorted, 0.75),
                (double) x.decisions / x.ops);
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) pos;
        return i + 1 < sorted.length ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
    }
}
