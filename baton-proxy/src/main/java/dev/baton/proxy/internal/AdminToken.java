package dev.baton.proxy.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The admin token a request must carry. Where the token lives in a file of the state folder, the
 * file is the truth: one deleted and made again by a deploy (or replaced by hand) while the router
 * ran would otherwise lock every deploy out of its own router until someone restarted it. So a
 * request with another token makes the router read the file again (at most once a second), and
 * if the request carries what the file now holds, that becomes the token.
 */
public final class AdminToken {
    private static final long REREAD_NANOS = 1_000_000_000L;
    private final Path file;
    private volatile byte[] expected;
    private long lastRead = System.nanoTime() - REREAD_NANOS;

    /** @param file where the token was read from, or null when it was configured (then it never changes) */
    public AdminToken(String token, Path file) {
        this.expected = header(token);
        this.file = file;
    }

    private static byte[] header(String token) {
        return ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether an Authorization header carries the token; null (none) never does. */
    public boolean accepts(String authorization) {
        if (authorization == null) {
            return false;
        }
        byte[] given = authorization.getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(expected, given)) {
            return true;
        }
        byte[] now = reread();
        if (now != null && MessageDigest.isEqual(now, given)) {
            expected = now;
            return true;
        }
        return false;
    }

    private synchronized byte[] reread() {
        if (file == null || System.nanoTime() - lastRead < REREAD_NANOS) {
            return null;
        }
        lastRead = System.nanoTime();
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            return token.isEmpty() ? null : header(token);
        } catch (IOException e) {
            return null; // gone or unreadable: the token stays as it was
        }
    }
}
