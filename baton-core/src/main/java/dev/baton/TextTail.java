package dev.baton;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The last lines of a text file that may be large (a service's log, appended to by every deploy
 * for months) or not quite text: only its last 64 KB are read, and a byte that is not UTF-8
 * spoils its own character, not the read.
 */
public final class TextTail {
    static final int BYTES = 64 * 1024;

    private TextTail() {}

    /** Up to {@code max} complete lines from the end of {@code file}, oldest first. */
    public static List<String> lines(Path file, int max) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long from = Math.max(0, f.length() - BYTES);
            byte[] bytes = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(bytes);
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            List<String> whole = from > 0 && !all.isEmpty() ? all.subList(1, all.size()) : all; // the first may be cut
            return whole.subList(Math.max(0, whole.size() - max), whole.size());
        }
    }
}
