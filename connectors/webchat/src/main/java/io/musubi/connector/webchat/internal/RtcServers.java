package io.musubi.connector.webchat.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ICE servers both sides of a video call use, as a WebRTC {@code RTCConfiguration} JSON object. STUN URLs are
 * given as they are. TURN URLs get short-lived credentials when a coturn {@code static-auth-secret} is configured,
 * following the "TURN REST API" scheme coturn implements with {@code use-auth-secret}: the user name is
 * {@code <expiry, epoch seconds>:<user>} and the credential the Base64 HMAC-SHA1 of that user name with the shared
 * secret, so the hub hands out TURN access without storing or revealing the secret. Without any URL the peers use
 * their host candidates, which is all a LAN needs.
 */
final class RtcServers {

    private final List<String> stun = new ArrayList<>();
    private final List<String> turn = new ArrayList<>();
    private final byte[] turnSecret;
    private final Duration ttl;
    private final Clock clock;
    private final ObjectMapper json;

    RtcServers(String[] urls, byte[] turnSecret, Duration ttl, Clock clock, ObjectMapper json) {
        for (String u : urls) {
            String url = u.strip();
            if (url.isEmpty()) {
                continue;
            }
            String scheme = url.substring(0, Math.max(0, url.indexOf(':'))).toLowerCase(Locale.ROOT);
            switch (scheme) {
                case "stun", "stuns" -> stun.add(url);
                case "turn", "turns" -> turn.add(url);
                default -> throw new IllegalArgumentException("iceServers: " + scheme + ": is not stun:, stuns:, turn: "
                        + "or turns:");
            }
        }
        this.turnSecret = turnSecret == null ? null : turnSecret.clone();
        this.ttl = ttl;
        this.clock = clock;
        this.json = json;
    }

    /** The RTCConfiguration for one party ({@code user}: the visitor id or the agent's side). */
    ObjectNode configuration(String user) {
        ObjectNode config = json.createObjectNode();
        ArrayNode servers = config.putArray("iceServers");
        if (!stun.isEmpty()) {
            ObjectNode s = servers.addObject();
            stun.forEach(s.putArray("urls")::add);
        }
        if (!turn.isEmpty()) {
            ObjectNode t = servers.addObject();
            turn.forEach(t.putArray("urls")::add);
            if (turnSecret != null) {
                String name = (clock.instant().plus(ttl).getEpochSecond()) + ":" + user;
                t.put("username", name);
                t.put("credential", credential(turnSecret, name));
            }
        }
        return config;
    }

    /** Base64(HMAC-SHA1(secret, user name)), coturn's {@code use-auth-secret} credential. */
    static String credential(byte[] secret, String userName) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(userName.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 unavailable", e);
        }
    }

    /** The URLs, for operators (no credentials). */
    String describe() {
        List<String> all = new ArrayList<>(stun);
        all.addAll(turn);
        return all.isEmpty() ? "none (host candidates)" : String.join(", ", all)
                + (turn.isEmpty() ? "" : turnSecret == null ? " (TURN without credentials)" : " (TURN credentials: "
                + ttl.toSeconds() + " s)");
    }
}
