package dev.baton.deploy.port;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copying bytes between a command's streams, for {@link Host#pipe}. */
public final class Streams {
    private Streams() {}

    /** Copies {@code in} to {@code out} (null: discards) until its end; then closes {@code in}. */
    public static long copy(InputStream in, OutputStream out) {
        long n = 0;
        byte[] buf = new byte[64 * 1024];
        try (in) {
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                if (out != null) {
                    out.write(buf, 0, r);
                }
                n += r;
            }
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            // the other end went away (the command died, or the reader stopped): its result says why
        }
        return n;
    }

    /** {@link #copy} on a daemon thread of its own; closes {@code out} at the end (the command's stdin sees its end). */
    public static Thread copyInBackground(InputStream in, OutputStream out, String name) {
        Thread t = new Thread(() -> {
            copy(in, out);
            try {
                out.close();
            } catch (IOException ignored) {
                // already closed by the other end
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
