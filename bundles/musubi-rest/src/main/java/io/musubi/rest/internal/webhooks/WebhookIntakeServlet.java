package io.musubi.rest.internal.webhooks;

import io.musubi.api.Health;
import io.musubi.api.HealthContributor;
import io.musubi.api.MetricSource;
import io.musubi.api.MetricWriter;
import io.musubi.spi.Connector;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.WebhookHandler;
import io.musubi.spi.WebhookRequest;
import io.musubi.spi.WebhookResponse;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The hub's one webhook endpoint for every webhook connector: {@code POST /webhooks/<type>/<connector id>} (and GET
 * for providers' verification handshakes), outside the REST API and its key/JWT authentication — a webhook is
 * authenticated by the provider's signature, which its {@link WebhookHandler} checks over the raw body before anything
 * is parsed. The answer comes only once the events are durable in the ingress queue. See {@link WebhookHandler} for
 * the order of the steps and the status codes.
 */
@Component(service = {Servlet.class, HealthContributor.class, MetricSource.class}, property = {
        "osgi.http.whiteboard.servlet.pattern=/webhooks/*",
        "osgi.http.whiteboard.servlet.name=musubi-webhooks",
        HealthContributor.NAME_PROPERTY + "=webhooks"})
public final class WebhookIntakeServlet extends HttpServlet implements HealthContributor, MetricSource {

    private static final long serialVersionUID = 1L;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final transient WebhookIntake intake = new WebhookIntake();
    private final transient IngressGateway ingress;

    @Activate
    public WebhookIntakeServlet(@Reference IngressGateway ingress) {
        this.ingress = ingress;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHandler(WebhookHandler handler, Map<String, Object> properties) {
        String type = String.valueOf(properties.get(WebhookHandler.TYPE_PROPERTY));
        String id = String.valueOf(properties.get(Connector.ID_PROPERTY));
        intake.add(type, id, handler);
    }

    void removeHandler(WebhookHandler handler, Map<String, Object> properties) {
        intake.remove(String.valueOf(properties.get(WebhookHandler.TYPE_PROPERTY)),
                String.valueOf(properties.get(Connector.ID_PROPERTY)), handler);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String[] path = typeAndId(req);
        if (path == null) {
            write(resp, WebhookIntake.problem(404, "Not Found", "no such webhook"));
            return;
        }
        WebhookHandler handler = intake.handler(path[0], path[1]);
        if (handler == null) {
            // Absent while the connector is stopped or being updated: the provider retries.
            write(resp, WebhookIntake.problem(503, "Service Unavailable", "this webhook is not available now"));
            return;
        }
        byte[] body = readLimited(req, handler.maxBodyBytes());
        if (body == null) {
            intake.count(path[0] + '/' + path[1], "too-large");
            write(resp, WebhookIntake.problem(413, "Content Too Large",
                    "body larger than " + handler.maxBodyBytes() + " bytes"));
            return;
        }
        write(resp, intake.post(path[0], path[1], handler, request(req, body), ingress));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String[] path = typeAndId(req);
        WebhookHandler handler = path == null ? null : intake.handler(path[0], path[1]);
        if (handler == null) {
            write(resp, WebhookIntake.problem(404, "Not Found", "no such webhook"));
            return;
        }
        write(resp, handler.verify(request(req, new byte[0])));
    }

    /** {@code [type, id]} of {@code /<type>/<id>}, or null for any other path. */
    private static String[] typeAndId(HttpServletRequest req) {
        String info = req.getPathInfo();
        if (info == null) {
            return null;
        }
        String[] parts = info.split("/", -1);
        if (parts.length != 3 || !parts[0].isEmpty() || !SEGMENT.matcher(parts[1]).matches()
                || !SEGMENT.matcher(parts[2]).matches()) {
            return null;
        }
        return new String[] {parts[1], parts[2]};
    }

    /** The body, or null when it is longer than the limit (read no further than that). */
    static byte[] readLimited(HttpServletRequest req, int limit) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > limit) {
            return null;
        }
        try (InputStream in = req.getInputStream()) {
            byte[] body = in.readNBytes(limit + 1);
            return body.length > limit ? null : body;
        }
    }

    private static WebhookRequest request(HttpServletRequest req, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(req.getHeaders(name))));
        }
        return new WebhookRequest(req.getMethod(), req.getRequestURI(), req.getQueryString(), headers, body);
    }

    private static void write(HttpServletResponse resp, WebhookResponse r) throws IOException {
        resp.setStatus(r.status());
        if (r.status() == 503) {
            resp.setHeader("Retry-After", "1");
        }
        if (!r.contentType().isEmpty()) {
            resp.setContentType(r.contentType());
        }
        resp.setContentLength(r.body().length);
        resp.getOutputStream().write(r.body());
    }

    @Override
    public String name() {
        return "webhooks";
    }

    @Override
    public Health health() {
        return new Health(Health.Status.UP, "webhook intake at /webhooks/<type>/<id>", intake.counts());
    }

    /**
     * Requests per webhook ({@code type/id}, only paths a connector serves) and outcome, and the events they carried.
     */
    @Override
    public void collect(MetricWriter out) {
        intake.counters().forEach((path, byOutcome) -> byOutcome.forEach((outcome, n) -> {
            if ("events".equals(outcome)) {
                out.counter("musubi_webhook_events_total", "Events taken from accepted webhook requests",
                        Map.of("webhook", path), n);
            } else {
                out.counter("musubi_webhook_requests_total", "Webhook requests by outcome (accepted, unauthenticated, "
                        + "forbidden, malformed, too-large, unavailable)", Map.of("webhook", path, "outcome", outcome), n);
            }
        }));
    }
}
