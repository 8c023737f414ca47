package io.musubi.connector.mail.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Message-IDs: reading the lists of {@code In-Reply-To} and {@code References} as mailers really write them, and the
 * Message-IDs of our own replies.
 *
 * <p>Our Message-ID is {@code <musubi.<outbound message id>.r-<thread root, base64url>@<domain>>}: derived from the
 * hub's id of the outbound message, so a reply sent again after a crash carries the same Message-ID (the customer's
 * mail client shows it once), and carrying the thread's root, so that a customer's answer naming only our mail in
 * {@code In-Reply-To} still joins its conversation. A root longer than {@value #MAX_EMBEDDED_ROOT} characters is not
 * embedded (the answer then threads by its {@code References}).
 */
final class MessageIds {

    static final String PREFIX = "musubi.";
    static final String ROOT_MARK = ".r-";
    static final int MAX_EMBEDDED_ROOT = 250;
    /** More ids than this in one header are ignored (the first and the last ones are kept). */
    static final int MAX_IDS = 100;

    private static final Pattern BRACKETED = Pattern.compile("<([^<>]*)>");

    private final String domain;

    /** @param domain the right-hand side of our Message-IDs, e.g. {@code support.example.co.jp} */
    MessageIds(String domain) {
        if (domain == null || !domain.matches("[A-Za-z0-9.-]+") || domain.startsWith(".") || domain.endsWith(".")) {
            throw new IllegalArgumentException("messageIdDomain must be a domain name: letters, digits, '.', '-'");
        }
        this.domain = domain.toLowerCase(Locale.ROOT);
    }

    String domain() {
        return domain;
    }

    /**
     * The ids in a header value ({@code <a@b> <c@d>}, also with comments, folding, or without the angle brackets),
     * without brackets, in order; empty for a missing header.
     */
    static List<String> parseList(String raw) {
        List<String> ids = new ArrayList<>();
        if (raw == null || raw.isBlank()) {
            return ids;
        }
        Matcher m = BRACKETED.matcher(raw);
        while (m.find()) {
            add(ids, m.group(1));
        }
        if (ids.isEmpty()) {
            // Some mailers drop the brackets: take each token that looks like local@domain.
            for (String token : raw.split("[\\s,]+")) {
                if (token.indexOf('@') > 0) {
                    add(ids, token);
                }
            }
        }
        if (ids.size() > MAX_IDS) {
            List<String> kept = new ArrayList<>(ids.subList(0, 1));
            kept.addAll(ids.subList(ids.size() - (MAX_IDS - 1), ids.size()));
            return kept;
        }
        return ids;
    }

    /** The first id of a header value, or empty. */
    static String parseOne(String raw) {
        List<String> ids = parseList(raw);
        return ids.isEmpty() ? "" : ids.get(0);
    }

    private static void add(List<String> ids, String candidate) {
        String id = candidate.strip();
        StringBuilder clean = new StringBuilder(id.length());
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c > 0x20 && c < 0x7F && c != '<' && c != '>') {
                clean.append(c);
            }
        }
        if (clean.length() > 0 && clean.length() <= 995 && !ids.contains(clean.toString())) {
            ids.add(clean.toString());
        }
    }

    /** Our Message-ID (without brackets) for an outbound message of the thread with root {@code root}. */
    String ours(String outboundId, String root) {
        StringBuilder local = new StringBuilder(PREFIX);
        for (int i = 0; i < outboundId.length(); i++) {
            char c = outboundId.charAt(i);
            local.append((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_' ? c : '_');
        }
        local.append(ROOT_MARK);
        if (root != null && !root.isEmpty() && root.length() <= MAX_EMBEDDED_ROOT) {
            local.append(Base64.getUrlEncoder().withoutPadding().encodeToString(root.getBytes(StandardCharsets.UTF_8)));
        }
        return local + "@" + domain;
    }

    /** Whether {@code id} is one of our Message-IDs. */
    boolean isOurs(String id) {
        int at = id.lastIndexOf('@');
        return at > 0 && id.startsWith(PREFIX) && id.substring(at + 1).equalsIgnoreCase(domain)
                && id.lastIndexOf(ROOT_MARK, at) > 0;
    }

    /** The thread root carried by one of our Message-IDs; empty when it is not ours or carries none. */
    Optional<String> rootOf(String id) {
        if (!isOurs(id)) {
            return Optional.empty();
        }
        int at = id.lastIndexOf('@');
        int mark = id.lastIndexOf(ROOT_MARK, at);
        String encoded = id.substring(mark + ROOT_MARK.length(), at);
        if (encoded.isEmpty()) {
            return Optional.empty();
        }
        try {
            String root = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            // Anyone can write such an id: only a plausible Message-ID (printable ASCII, no brackets) is taken.
            boolean plausible = !root.isEmpty() && root.length() <= MAX_EMBEDDED_ROOT
                    && root.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '<' && c != '>');
            return plausible ? Optional.of(root) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
