package io.musubi.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PageHeadersTest {

    private final PageHeaders headers = new PageHeaders(new String[] {"https://www.example.co.jp", " "});

    @Test
    void theDesktopCannotBeFramedAndRunsOnlyTheHubsOwnScripts() {
        Map<String, String> h = headers.forPath("/desktop/index.html");
        String csp = h.get("Content-Security-Policy");
        assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'").contains("connect-src 'self'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval").doesNotContain("http");
        assertThat(h).containsEntry("X-Frame-Options", "DENY").containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("Content-Type", "text/html;charset=utf-8");
        assertThat(headers.forPath("/supervisor/app.js")).containsEntry("Content-Type", "text/javascript;charset=utf-8");
    }

    @Test
    void theWidgetMayBeFramedByTheConfiguredSitesAndItsLoaderLoadedAnywhere() {
        Map<String, String> w = headers.forPath("/widget/index.html");
        assertThat(w.get("Content-Security-Policy")).endsWith("frame-ancestors 'self' https://www.example.co.jp")
                .doesNotContain("unsafe-inline");
        assertThat(w).doesNotContainKey("X-Frame-Options");
        assertThat(w.get("Permissions-Policy")).contains("camera=(self)");
        Map<String, String> loader = headers.forPath("/widget/embed.js");
        assertThat(loader).containsEntry("Cross-Origin-Resource-Policy", "cross-origin")
                .doesNotContainKey("Content-Security-Policy");
        assertThat(new PageHeaders(new String[0]).forPath("/widget/").get("Content-Security-Policy"))
                .endsWith("frame-ancestors 'self'");
    }

    @Test
    void onlyOriginsAreAcceptedAsFrameAncestors() {
        for (String bad : new String[] {"*", "https://a.example; script-src *", "javascript:alert(1)",
                "https://example.jp/path"}) {
            assertThatThrownBy(() -> new PageHeaders(new String[] {bad})).as(bad)
                    .hasMessageContaining("widgetFrameAncestors");
        }
        assertThat(new PageHeaders(new String[] {"https://*.example.jp:8443"}).forPath("/widget/")
                .get("Content-Security-Policy")).endsWith("'self' https://*.example.jp:8443");
    }
}
