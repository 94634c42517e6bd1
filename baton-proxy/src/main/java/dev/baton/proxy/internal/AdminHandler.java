package dev.baton.proxy.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The admin endpoint, on a loopback-only connector.
 * {@code GET /status} (open, but refused with a wrong token) answers {@code {"active":..,"in_flight":{..},"served":..,"websockets":{..}}};
 * {@code POST /switch?colour=green} with {@code Authorization: Bearer <token>} switches.
 */
public final class AdminHandler extends Handler.Abstract.NonBlocking {
    private final byte[] token;
    private final Supplier<String> status;
    private final Function<String, String> switcher;

    /**
     * @param switcher switches to the colour and returns null, or returns an error message
     */
    public AdminHandler(String token, Supplier<String> status, Function<String, String> switcher) {
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.status = status;
        this.switcher = switcher;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        boolean tokenOk = auth != null && MessageDigest.isEqual(token, auth.getBytes(StandardCharsets.UTF_8));
        if ("/status".equals(path) && "GET".equals(method)) {
            // open to monitoring; a wrong token is refused so a client learns early that this router is not its own
            if (auth != null && !tokenOk) {
                return reply(response, callback, 401, "{\"error\":\"wrong admin token\"}");
            }
            return reply(response, callback, 200, status.get());
        }
        if ("/switch".equals(path) && "POST".equals(method)) {
            if (!tokenOk) {
                return reply(response, callback, 401, "{\"error\":\"missing or wrong admin token\"}");
            }
            Fields query = Request.extractQueryParameters(request);
            String colour = query.getValue("colour");
            if (colour == null) {
                return reply(response, callback, 400, "{\"error\":\"name the colour: POST /switch?colour=green\"}");
            }
            String error = switcher.apply(colour);
            if (error != null) {
                return reply(response, callback, 400, "{\"error\":\"" + error.replace("\"", "'") + "\"}");
            }
            return reply(response, callback, 200, status.get());
        }
        return reply(response, callback, 404, "{\"error\":\"GET /status or POST /switch?colour=C\"}");
    }

    private static boolean reply(Response response, Callback callback, int code, String json) {
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
