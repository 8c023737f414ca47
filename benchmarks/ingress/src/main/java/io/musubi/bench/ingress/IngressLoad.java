package io.musubi.bench.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.musubi.bench.http.LoadClient;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The ingress of a running hub at a fixed rate (issue #11): signed Twilio SMS webhooks (each from its own number, so
 * each opens an interaction and is queued) go to the Twilio connector's webhook, through the broker and the ingress
 * into the ACD. The figure is the rate the hub turns them into waiting interactions, counted back from the queue's
 * statistics once a second; nothing may be lost (every webhook answered 2xx ends up waiting in the queue).
 *
 * <pre>
 * java -jar benchmarks/ingress/target/ingress.jar --hub http://127.0.0.1:8181 --key-file etc/musubi/admin.key \
 *      --token-file etc/musubi/twilio-bench.token --public-base https://bench.invalid --instance bench \
 *      --rate 2000 --seconds 60 --concurrency 64
 * </pre>
 *
 * {@code benchmarks/ingress/run.sh} sets up a throw-away distribution with the Twilio instance and runs this.
 */
public final class IngressLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "AC" + "0123456789abcdef0123456789abcdef";

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String hub = a.getOrDefault("hub", "http://127.0.0.1:8181");
        String key = Files.readString(Path.of(a.get("key-file"))).trim();
        byte[] token = Files.readString(Path.of(a.get("token-file"))).trim().getBytes(StandardCharsets.UTF_8);
        String instance = a.getOrDefault("instance", "bench");
        String publicBase = a.getOrDefault("public-base", "https://bench.invalid");
        String queue = a.getOrDefault("queue", "default");
        int rate = Integer.parseInt(a.getOrDefault("rate", "2000"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "60"));
        int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "64"));
        // --senders N: webhooks come from N numbers in turn, so after the first N each one is a message of a known
        // customer on its open conversation; progress is then read from the ingress' processed counter
        // (GET /api/v1/metrics) instead of the queue's waiting count. 0 (default): each webhook from its own number.
        int senders = Integer.parseInt(a.getOrDefault("senders", "0"));
        int run = Integer.parseInt(a.getOrDefault("run", String.valueOf((int) (System.currentTimeMillis() / 1000 % 100_000))));
        // --keys sequential: numbers and MessageSids counted up, so the hub's indexes keyed by them grow at their end;
        // random (default): spread as real traffic is (callers do not write in the order of their numbers; Twilio's
        // MessageSids are random), so each new one lands at a random place of those indexes.
        boolean sequential = "sequential".equals(a.getOrDefault("keys", "random"));

        // HTTP/1.1 as the hub speaks it (the JDK client's default, HTTP/2, offers each new connection an h2c upgrade the
        // hub declines); the driver shares the machine with the hub, so what it spends is taken from the hub.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(4)).build();
        String path = "/webhooks/twilio/" + instance;
        String signedUrl = publicBase + path;
        URI target = URI.create(hub + path);
        // The webhooks go through LoadClient (a fraction of the JDK client's CPU per request); the JDK client reads
        // the progress once a second.
        LoadClient load = new LoadClient(target);
        // Progress: the queue's waiting count (each webhook opens an interaction) or the ingress' processed counter.
        URI progressUri = URI.create(hub + (senders > 0 ? "/api/v1/metrics" : "/api/v1/queues/" + queue));

        int before = progress(http, progressUri, key);
        int total = rate * seconds;
        System.out.printf("ingress load: %d webhooks at %d/s for %d s, %d in flight at most, %s; %s %d%n", total, rate,
                seconds, concurrency, senders > 0 ? senders + " senders in turn" : "each from its own number",
                senders > 0 ? "processed before:" : "queue " + queue + " had waiting:", before);

        Semaphore inFlight = new Semaphore(concurrency);
        LongAdder ok = new LongAdder();
        Map<Integer, AtomicInteger> failures = new ConcurrentHashMap<>();
        Histogram answer = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        long[] lastCount = {before};
        int[] maxBacklog = {0};
        AtomicInteger sent = new AtomicInteger();
        sampler.scheduleAtFixedRate(() -> {
            try {
                int now = progress(http, progressUri, key);
                int backlog = sent.get() - (now - before);
                maxBacklog[0] = Math.max(maxBacklog[0], backlog);
                System.out.printf("  t=%3.0f s  sent %7d  in the queue %7d  (+%5d/s)  not yet processed %6d%n",
                        (System.nanoTime() - start) / 1e9, sent.get(), now - before, now - lastCount[0], backlog);
                lastCount[0] = now;
            } catch (Exception e) {
                System.out.println("  sample failed: " + e);
            }
        }, 1, 1, TimeUnit.SECONDS);

        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            inFlight.acquire();
            Map<String, String> form = new TreeMap<>();
            form.put("AccountSid", ACCOUNT);
            form.put("ApiVersion", "2010-04-01");
            form.put("Body", "benchmark message " + i);
            int sender = (senders > 0 ? i % senders : i) % 1_000_000;
            form.put("From", String.format("+8190%02d%06d", run % 100, sequential ? sender : spread(sender)));
            form.put("MessageSid", sequential ? String.format("SM%032x", ((long) run << 32) | i)
                    : "SM" + UUID.nameUUIDFromBytes((run + "/" + i).getBytes(StandardCharsets.UTF_8)).toString()
                            .replace("-", ""));
            form.put("NumMedia", "0");
            form.put("NumSegments", "1");
            form.put("SmsStatus", "received");
            form.put("To", "+81501234567");
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            headers.put("Content-Type", "application/x-www-form-urlencoded");
            headers.put("X-Twilio-Signature", sign(token, signedUrl, form));
            byte[] request = load.request("POST", path, headers,
                    encode(form).getBytes(StandardCharsets.UTF_8));
            long sentAt = System.nanoTime();
            sent.incrementAndGet();
            load.send(request, (status, location, failure) -> {
                answer.recordValue(Math.max(0, System.nanoTime() - Math.max(sentAt, due)));
                if (failure == null && status / 100 == 2) {
                    ok.increment();
                } else {
                    failures.computeIfAbsent(failure == null ? status : -1, k -> new AtomicInteger()).incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(concurrency);
        long sendEnd = System.nanoTime();
        long deadline = sendEnd + TimeUnit.SECONDS.toNanos(120);
        int processed;
        do {
            processed = progress(http, progressUri, key) - before;
            if (processed >= ok.intValue()) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        long end = System.nanoTime();
        sampler.shutdownNow();
        double elapsed = (end - start) / 1e9;
        System.out.printf("sent %d in %.1f s (%.0f/s offered), answered 2xx %d, failed %s%n", total,
                (sendEnd - start) / 1e9, total / ((sendEnd - start) / 1e9), ok.intValue(), failures);
        System.out.printf("webhook answer: p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                answer.getValueAtPercentile(50) / 1e6, answer.getValueAtPercentile(99) / 1e6, answer.getMaxValue() / 1e6);
        System.out.printf("processed into the queue: %d of %d accepted in %.1f s: %.0f events/s end to end; most "
                + "not yet processed at once %d; not in the queue 120 s after the last send %d%n", processed,
                ok.intValue(), elapsed, processed / elapsed, maxBacklog[0], Math.max(0, ok.intValue() - processed));
        System.exit(processed >= ok.intValue() && failures.isEmpty() ? 0 : 1);
    }

    /** The run's progress: the ingress' processed counter (metrics) or the queue's waiting count. */
    private static int progress(HttpClient http, URI source, String key) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(source).header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + source + " answered " + r.statusCode() + ": " + r.body());
        }
        if (source.getPath().endsWith("/metrics")) {
            // Prometheus text: the ingress' processed counter
            for (String line : r.body().split("\n")) {
                if (line.startsWith("musubi_ingress_events_total{outcome=\"processed\"}")) {
                    return (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return 0;
        }
        JsonNode stats = JSON.readTree(r.body()).path("stats");
        return stats.path("waiting").asInt();
    }

    /** Twilio's signature: HMAC-SHA1 of the URL followed by every parameter name and value, names sorted. */
    static String sign(byte[] token, String url, Map<String, String> sortedForm) throws Exception {
        StringBuilder data = new StringBuilder(url);
        sortedForm.forEach((k, v) -> data.append(k).append(v));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(token, "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static String encode(Map<String, String> form) {
        StringBuilder sb = new StringBuilder();
        form.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    /** Six digits per sender, all different, in no particular order (7 919 is prime to 10^6). */
    static int spread(int sender) {
        return (int) ((sender * 7_919L + 4_321L) % 1_000_000L);
    }
}
