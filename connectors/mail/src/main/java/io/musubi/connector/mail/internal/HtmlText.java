package io.musubi.connector.mail.internal;

import java.util.Set;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Turns an HTML mail body into plain text for the agent (jsoup parses it as a browser would): only text nodes are
 * kept, so script, style, head, comments and every attribute (event handlers, {@code javascript:} links, remote
 * images) are gone and no markup can reach the desktop. Block elements and {@code <br>} become line breaks, list
 * items get a bullet, a link keeps its address after its text when they differ.
 */
final class HtmlText {

    private static final Set<String> BLOCKS = Set.of("p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5",
            "h6", "blockquote", "pre", "table", "ul", "ol", "dl", "dt", "dd", "hr", "section", "article", "header",
            "footer", "address", "center", "form");
    private static final Set<String> SKIPPED = Set.of("script", "style", "head", "title", "noscript", "template",
            "svg", "math", "object", "iframe");

    private HtmlText() {
    }

    static String toText(String html) {
        return toText(Jsoup.parse(html));
    }

    static String toText(Document doc) {
        StringBuilder out = new StringBuilder();
        Element body = doc.body();
        NodeTraversor.traverse(new NodeVisitor() {
            private int skipping;

            @Override
            public void head(Node node, int depth) {
                if (node instanceof Element e) {
                    String tag = e.normalName();
                    if (SKIPPED.contains(tag)) {
                        skipping++;
                        return;
                    }
                    if (skipping > 0) {
                        return;
                    }
                    if (tag.equals("br")) {
                        int end = out.length();
                        while (end > 0 && out.charAt(end - 1) == ' ') {
                            end--;
                        }
                        out.setLength(end);
                        out.append('\n');
                    } else if (BLOCKS.contains(tag)) {
                        newline(out);
                    }
                    if (tag.equals("li")) {
                        out.append("• ");
                    }
                } else if (node instanceof TextNode t && skipping == 0) {
                    String text = isPre(t) ? t.getWholeText() : t.text();
                    if (!text.isBlank() || (out.length() > 0 && out.charAt(out.length() - 1) != ' '
                            && out.charAt(out.length() - 1) != '\n')) {
                        out.append(text);
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e) {
                    String tag = e.normalName();
                    if (SKIPPED.contains(tag)) {
                        skipping--;
                        return;
                    }
                    if (skipping > 0) {
                        return;
                    }
                    if (tag.equals("a")) {
                        String href = e.attr("href").strip();
                        if ((href.startsWith("http://") || href.startsWith("https://") || href.startsWith("mailto:"))
                                && !e.text().strip().equals(href) && !e.text().strip().equals(href.replaceFirst(
                                "^mailto:", ""))) {
                            out.append(" <").append(href).append('>');
                        }
                    }
                    if (BLOCKS.contains(tag) && !tag.equals("br")) {
                        newline(out);
                    }
                    if (tag.equals("p") || tag.matches("h[1-6]")) {
                        out.append('\n');
                    }
                }
            }
        }, body == null ? doc : body);
        return tidy(out.toString());
    }

    private static boolean isPre(TextNode t) {
        for (Node p = t.parentNode(); p != null; p = p.parentNode()) {
            if (p instanceof Element e && e.normalName().equals("pre")) {
                return true;
            }
        }
        return false;
    }

    private static void newline(StringBuilder out) {
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        if (end > 0 && out.charAt(end - 1) != '\n') {
            out.append('\n');
        }
    }

    /** Trailing spaces off each line, at most one empty line in a row, no blank lines at either end. */
    private static String tidy(String text) {
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder(text.length());
        int blanks = 0;
        for (String line : lines) {
            String l = line.stripTrailing();
            if (l.isBlank()) {
                blanks++;
                continue;
            }
            if (out.length() > 0) {
                out.append(blanks > 0 ? "\n\n" : "\n");
            }
            blanks = 0;
            out.append(l.startsWith(" ") ? l.stripLeading() : l);
        }
        return out.toString();
    }
}
