package dev.baton.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A real HTTP server standing for one colour of an application. */
final class Upstream implements AutoCloseable {
    final String colour;
    final HttpServer server;
    /** Released by a test to let {@code /slow} and the rest of {@code /events} finish. */
    final CountDownLatch release = new CountDownLatch(1);

    Upstream(String colour) throws IOException {
        this.colour = colour;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", ex -> reply(ex, 200, colour));
        server.createContext("/headers", ex -> reply(ex, 200, "for=" + ex.getRequestHeaders().getFirst("X-Forwarded-For")
                + " proto=" + ex.getRequestHeaders().getFirst("X-Forwarded-Proto")
                + " host=" + ex.getRequestHeaders().getFirst("X-Forwarded-Host")
                + " real=" + ex.getRequestHeaders().getFirst("X-Real-IP")
                + " forwarded=" + ex.getRequestHeaders().get("Forwarded")));
        server.createContext("/fail", ex -> reply(ex, 500, colour + " says no"));
        server.createContext("/slow", ex -> {
            await();
            reply(ex, 200, colour + " slow");
        });
        server.createContext("/events", ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                await();
                out.write("data: second\n\n".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    private void await() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void reply(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
