package dev.baton;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One HTTP/1.1 exchange, blocking, on the calling thread: what Baton's probes, warm-up, router
 * client and notifiers send. Not {@code java.net.http.HttpClient}: on JDK 17 each one builds the
 * TLS context even for plain http (0.1 s at start) and keeps a selector thread in native code
 * that delays the JVM's exit by 0.3 s. Redirects are not followed and no proxy is used.
 */
public final class Http {
    /** @param status the HTTP status; body, the response body as UTF-8 text */
    public record Response(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private Http() {}

    public static Response get(URI uri, Map<String, String> headers, Duration connect, Duration timeout) throws IOException {
        return send("GET", uri, headers, null, connect, timeout);
    }

    public static Response post(URI uri, Map<String, String> headers, byte[] body, Duration connect, Duration timeout)
            throws IOException {
        return send("POST", uri, headers, body, connect, timeout);
    }

    private static Response send(String method, URI uri, Map<String, String> headers, byte[] body, Duration connect,
                                 Duration timeout) throws IOException {
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IOException("not an http or https URL: " + uri);
        }
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        try {
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(millis(connect.compareTo(timeout) < 0 ? connect : timeout)); // never past the whole timeout
            c.setReadTimeout(millis(timeout));
            c.setRequestMethod(method);
            headers.forEach(c::setRequestProperty);
            if (body != null) {
                // a fixed length also keeps the JDK from sending a POST twice on a dropped keep-alive connection
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            if (in == null) {
                return new Response(status, "");
            }
            try (in) { // read to the end and closed: the connection goes back to the keep-alive cache
                return new Response(status, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IllegalArgumentException e) { // e.g. a header value with a line break
            c.disconnect();
            throw new IOException(e.getMessage(), e);
        } catch (IOException e) {
            c.disconnect();
            throw e;
        }
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
