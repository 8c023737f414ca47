package io.musubi.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.musubi.rest.Allowed;
import io.musubi.rest.Public;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document is generated from the resource classes at build time; this checks, on every build,
 * that it really covers them: every resource method of the bundle is in it with a summary and a tag, and every
 * method declares who may call it (roles or public), so nothing is open by accident.
 */
class OpenApiDocumentTest {

    private static final Map<Class<? extends Annotation>, String> VERBS = Map.of(GET.class, "get", POST.class, "post",
            PUT.class, "put", DELETE.class, "delete");

    @Test
    void everyResourceMethodIsDocumentedAndDeclaresWhoMayCallIt() throws Exception {
        JsonNode doc;
        try (InputStream in = OpenApiResource.class.getResourceAsStream(OpenApiResource.DOCUMENT)) {
            assertThat(in).as("openapi.json built into the bundle").isNotNull();
            doc = new ObjectMapper().readTree(in);
        }
        List<String> operations = new ArrayList<>();
        for (Class<?> type : resourceClasses()) {
            String base = path(type.getAnnotation(Path.class).value());
            for (Method m : type.getMethods()) {
                for (Map.Entry<Class<? extends Annotation>, String> verb : VERBS.entrySet()) {
                    if (!m.isAnnotationPresent(verb.getKey())) {
                        continue;
                    }
                    Path sub = m.getAnnotation(Path.class);
                    String path = sub == null ? base : base + path(sub.value());
                    String where = verb.getValue().toUpperCase() + " " + path + " (" + type.getSimpleName() + "."
                            + m.getName() + ")";
                    operations.add(where);
                    JsonNode op = doc.path("paths").path(path).path(verb.getValue());
                    assertThat(op.isMissingNode()).as(where + " in openapi.json").isFalse();
                    assertThat(op.path("summary").asText()).as(where + " summary").isNotBlank();
                    assertThat(op.path("tags").size()).as(where + " tag").isPositive();
                    boolean declared = m.isAnnotationPresent(Allowed.class) || m.isAnnotationPresent(Public.class)
                            || type.isAnnotationPresent(Allowed.class) || type.isAnnotationPresent(Public.class);
                    assertThat(declared).as(where + " declares @Allowed or @Public").isTrue();
                }
            }
        }
        assertThat(operations).hasSizeGreaterThan(40);
        int documented = 0;
        for (JsonNode p : doc.path("paths")) {
            documented += p.size();
        }
        assertThat(documented).as("operations in the document that no resource method has").isEqualTo(operations.size());
    }

    private static String path(String p) {
        String trimmed = p.replaceAll("^/+|/+$", "");
        return "/" + trimmed;
    }

    private static List<Class<?>> resourceClasses() throws IOException {
        java.nio.file.Path root = Paths.get("target", "classes");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(root.resolve("io/musubi/rest/internal"))) {
            for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    Class<?> c = Class.forName(name, false, OpenApiDocumentTest.class.getClassLoader());
                    if (c.isAnnotationPresent(Path.class)) {
                        out.add(c);
                    }
                } catch (ClassNotFoundException | NoClassDefFoundError e) {
                    throw new IllegalStateException("cannot load " + name, e);
                }
            }
        }
        return out;
    }
}
