package io.musubi.hub.internal.webhooks;

import io.musubi.api.OutboundAddressPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DNS for tests (the build may run without any): names answer what the test says, and may answer differently
 * later (DNS rebinding); unknown names do not resolve. {@code crm.example.com} and its siblings are public.
 */
public final class TestDns implements OutboundAddressPolicy.Resolver {

    /** A public address the tests never connect to. */
    static final String PUBLIC = "93.184.215.14";

    private final Map<String, List<String>> answers = new ConcurrentHashMap<>();

    public TestDns() {
        for (String name : List.of("crm.example.com", "x.example")) {
            answer(name, PUBLIC);
        }
        answer("localhost", "127.0.0.1");
    }

    public TestDns answer(String name, String... addresses) {
        answers.put(name.toLowerCase(Locale.ROOT), List.of(addresses));
        return this;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        List<String> a = answers.get(host.toLowerCase(Locale.ROOT));
        if (a == null) {
            throw new UnknownHostException("not in the test DNS");
        }
        InetAddress[] out = new InetAddress[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = InetAddress.getByName(a.get(i));
        }
        return out;
    }
}
