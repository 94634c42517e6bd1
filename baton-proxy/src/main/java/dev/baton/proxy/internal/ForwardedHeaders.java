package dev.baton.proxy.internal;

import dev.baton.proxy.AddressRange;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;

/**
 * The X-Forwarded-* headers the router sends upstream. What a client says about its own address
 * is not evidence, so they are replaced, unless the client is a trusted proxy
 * ({@code router.trusted_proxies}, e.g. a load balancer in front): then its X-Forwarded-For is
 * appended to, and X-Real-IP is the rightmost address in it that is not a trusted proxy, as
 * nginx's realip module does with {@code real_ip_recursive on}.
 */
final class ForwardedHeaders {
    /** Headers a client could use to lie about where it is; removed unless it is trusted. */
    static final List<String> NAMES = List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Real-IP");

    private ForwardedHeaders() {}

    static boolean trusted(String remote, List<AddressRange> trusted) {
        InetAddress a = literal(remote);
        return a != null && trusted.stream().anyMatch(r -> r.contains(a));
    }

    /** The values to send, given the client's address, its headers and the request's scheme. */
    static Map<String, String> of(String remote, HttpFields client, String scheme, List<AddressRange> trusted) {
        Map<String, String> out = new LinkedHashMap<>();
        String host = client.get("Host");
        if (trusted(remote, trusted)) {
            String prior = String.join(", ", client.getValuesList("X-Forwarded-For"));
            List<String> chain = new ArrayList<>();
            if (!prior.isBlank()) {
                Arrays.stream(prior.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(chain::add);
            }
            chain.add(remote);
            String real = remote;
            for (int i = chain.size() - 1; i >= 0; i--) {
                real = chain.get(i);
                if (!trusted(real, trusted)) {
                    break;
                }
            }
            out.put("X-Forwarded-For", String.join(", ", chain));
            out.put("X-Real-IP", real);
            String proto = client.get("X-Forwarded-Proto");
            out.put("X-Forwarded-Proto", proto != null ? proto : scheme == null ? "http" : scheme);
            String fHost = client.get("X-Forwarded-Host");
            if (fHost != null || host != null) {
                out.put("X-Forwarded-Host", fHost != null ? fHost : host);
            }
            return out;
        }
        out.put("X-Forwarded-For", remote);
        out.put("X-Real-IP", remote);
        out.put("X-Forwarded-Proto", scheme == null ? "http" : scheme);
        if (host != null) {
            out.put("X-Forwarded-Host", host);
        }
        return out;
    }

    /** The address if {@code s} is an IP literal (never a DNS lookup), else null. */
    private static InetAddress literal(String s) {
        String a = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (!a.matches("[0-9.]+") && !a.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return null;
        }
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
