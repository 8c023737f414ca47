package io.musubi.rest.internal.app;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;

/**
 * The HTTP server's own error pages as RFC 9457 problems instead of Jetty's HTML: a path no servlet serves (outside
 * {@code /api/v1}, or the whole API while it is not served), and any error a servlet reports with
 * {@code sendError} rather than a body of its own. Registered through the servlet whiteboard as the error page for
 * every 4xx and 5xx status, in every servlet context. The detail never repeats the request's path or query (they may
 * carry personal data). Requests Jetty cannot parse at all (a malformed request line, an illegal URI) are answered by
 * Jetty before any servlet runs: that HTML (or JSON with {@code Accept: application/json}) is Jetty's.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.name=musubi.problem-error-page",
        "osgi.http.whiteboard.servlet.errorPage=4xx",
        "osgi.http.whiteboard.servlet.errorPage=5xx",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=*)"})
public final class ProblemErrorPage extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer c ? c : response.getStatus();
        if (status < 400 || status > 599) {
            status = 500;
        }
        write(response, status);
    }

    /** Writes the problem document of {@code status} (nothing if the response is already committed). */
    static void write(HttpServletResponse response, int status) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String reason = type == null ? "Error" : type.getReasonPhrase();
        Problem problem = new Problem("about:blank", reason, status, detail(status, reason));
        byte[] body = ObjectMapperResolver.mapper().writeValueAsBytes(problem);
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static String detail(int status, String reason) {
        return switch (status) {
            case 404 -> "nothing is served at this path; the API is under /api/v1 (GET /api/v1/openapi.json)";
            case 405 -> "this path does not take this method";
            default -> status >= 500 ? "the server could not answer this request" : reason;
        };
    }
}
