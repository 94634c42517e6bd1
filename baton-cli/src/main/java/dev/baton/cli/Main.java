package dev.baton.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** The {@code baton} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // SLF4J initialised here, on one thread: first use from several (SSH to several hosts at
        // once) makes it print replay warnings
        LoggerFactory.getILoggerFactory();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int code = Baton.execute(new Cli(out, err, System.getenv(), Path.of("").toAbsolutePath()), args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
