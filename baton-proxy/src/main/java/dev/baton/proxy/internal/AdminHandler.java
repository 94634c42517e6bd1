package dev.baton.proxy.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The admin endpoint, on a loopback-only connector.
 * {@code GET /status} (open, but refused with a wrong token) answers {@code {"active":..,"in_flight":{..},"served":..,"websockets":{..}}};
 * {@code POST /switch?colour=green} with {@code Authorization: Bearer <token>} switches, and with
 * {@code &route=/api%20http://127.0.0.1:9001} (one per route, {@code <prefix> <upstream>}) gives
 * green those routes (else it keeps the ones it has);
 * {@code POST /drain?colour=blue&timeout_ms=30000} (token too) answers once no request is in
 * flight to blue, or at the timeout, with how many are left.
 */
public final class AdminHandler extends Handler.Abstract.NonBlocking {
    private final AdminToken token;
    private final Supplier<String> status;
    private final BiFunction<String, List<String>, String> switcher;
    private final ToIntFunction<String> inFlight;

    /**
     * @param switcher switches to the colour, with the routes given (none: its own), and returns null, or returns an error message
     * @param inFlight requests in flight to a colour
     */
    public AdminHandler(AdminToken token, Supplier<String> status, BiFunction<String, List<String>, String> switcher,
                        ToIntFunction<String> inFlight) {
        this.token = token;
        this.status = status;
        this.switcher = switcher;
        this.inFlight = inFlight;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        boolean tokenOk = token.accepts(auth);
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
            List<String> routes = query.getValuesOrEmpty("route");
            String error = switcher.apply(colour, routes);
            if (error != null) {
                return reply(response, callback, 400, "{\"error\":\"" + error.replace("\"", "'") + "\"}");
            }
            return reply(response, callback, 200, status.get());
        }
        if ("/drain".equals(path) && "POST".equals(method)) {
            if (!tokenOk) {
                return reply(response, callback, 401, "{\"error\":\"missing or wrong admin token\"}");
            }
            Fields query = Request.extractQueryParameters(request);
            String colour = query.getValue("colour");
            long timeoutMs;
            try {
                timeoutMs = Long.parseLong(query.getValue("timeout_ms"));
            } catch (NumberFormatException e) {
                timeoutMs = -1;
            }
            if (colour == null || timeoutMs < 0) {
                return reply(response, callback, 400, "{\"error\":\"name the colour and a timeout: POST /drain?colour=blue&timeout_ms=30000\"}");
            }
            // the wait is on the server's scheduler, not on a request thread
            Scheduler timer = request.getComponents().getScheduler();
            drain(timer, colour, System.nanoTime(), System.nanoTime() + timeoutMs * 1_000_000, response, callback);
            return true;
        }
        return reply(response, callback, 404, "{\"error\":\"GET /status, POST /switch?colour=C or POST /drain?colour=C&timeout_ms=N\"}");
    }

    /** Answers once no request is in flight to {@code colour} or at the deadline, with what is left: {@code {"in_flight":0,"waited_ms":12}}. */
    private void drain(Scheduler timer, String colour, long start, long deadline, Response response, Callback callback) {
        int left = inFlight.applyAsInt(colour);
        if (left == 0 || System.nanoTime() >= deadline) {
            reply(response, callback, 200, "{\"colour\":\"" + colour.replace("\"", "") + "\",\"in_flight\":" + left
                    + ",\"waited_ms\":" + (System.nanoTime() - start) / 1_000_000 + "}");
            return;
        }
        timer.schedule(() -> drain(timer, colour, start, deadline, response, callback), 5, TimeUnit.MILLISECONDS);
    }

    private static boolean reply(Response response, Callback callback, int code, String json) {
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
