package io.musubi.web.internal;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the pages from this bundle on the HTTP whiteboard: each area ({@code /desktop/}, {@code /supervisor/},
 * {@code /widget/}, {@code /shared/}) is a whiteboard resource registration of {@code /web/<area>} in the bundle, and
 * one whiteboard filter in front of them adds {@link PageHeaders}, sends {@code /desktop} to {@code /desktop/}, and
 * serves an area's {@code index.html} for its directory.
 */
@Component(service = {}, immediate = true, configurationPid = WebConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = WebConfiguration.class)
public final class WebPages {

    static final List<String> AREAS = List.of("desktop", "supervisor", "widget", "shared");
    static final List<String> PAGES = List.of("desktop", "supervisor", "widget");
    private static final Logger LOG = LoggerFactory.getLogger(WebPages.class);

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Activate
    public WebPages(BundleContext context, WebConfiguration config) {
        PageHeaders headers = new PageHeaders(config.widgetFrameAncestors().split("[,\\s]+"));
        for (String area : AREAS) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("osgi.http.whiteboard.resource.pattern", "/" + area + "/*");
            props.put("osgi.http.whiteboard.resource.prefix", "/web/" + area);
            registrations.add(context.registerService(Object.class, new Object(), props));
        }
        Hashtable<String, Object> filter = new Hashtable<>();
        List<String> patterns = new ArrayList<>();
        for (String area : AREAS) {
            patterns.add("/" + area);
            patterns.add("/" + area + "/*");
        }
        filter.put("osgi.http.whiteboard.filter.pattern", patterns.toArray(String[]::new));
        filter.put("osgi.http.whiteboard.filter.name", "musubi-web-pages");
        registrations.add(context.registerService(Filter.class, new Pages(headers), filter));
        LOG.info("Web pages at /desktop/, /supervisor/ and /widget/ (widget frame-ancestors: {})",
                headers.forPath("/widget/index.html").get("Content-Security-Policy")
                        .replaceAll(".*frame-ancestors ", ""));
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
    }

    /** The filter: headers, directory redirects and index pages. */
    static final class Pages implements Filter {

        private final PageHeaders headers;

        Pages(PageHeaders headers) {
            this.headers = headers;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest req = (HttpServletRequest) request;
            HttpServletResponse resp = (HttpServletResponse) response;
            String path = req.getRequestURI().substring(req.getContextPath().length());
            if (!"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod())) {
                resp.setHeader("Allow", "GET, HEAD");
                resp.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
                return;
            }
            String area = path.length() > 1 ? path.substring(1).split("/", 2)[0] : "";
            if (path.equals("/" + area) && PAGES.contains(area)) {
                String query = req.getQueryString();
                resp.sendRedirect(req.getContextPath() + path + "/" + (query == null ? "" : "?" + query));
                return;
            }
            String target = path.endsWith("/") ? path + "index.html" : path;
            for (Map.Entry<String, String> h : headers.forPath(target).entrySet()) {
                resp.setHeader(h.getKey(), h.getValue());
            }
            if (!target.equals(path)) {
                req.getRequestDispatcher(target).forward(request, response);
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
