package dev.baton.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.slf4j.LoggerFactory;

/** The {@code baton} command. */
public final class Main {
    /** Held: a logger only referenced by name may be collected, and its level with it. */
    private static final Logger PGJDBC = Logger.getLogger("org.postgresql");

    private Main() {}

    public static void main(String[] args) {
        // SLF4J initialised here, on one thread: first use from several (SSH to several hosts at
        // once) makes it print replay warnings
        LoggerFactory.getILoggerFactory();
        // the driver's own JDK logging (e.g. a bad port) must not reach the console: its failures reach us as exceptions
        PGJDBC.setLevel(Level.OFF);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int code = Baton.execute(new Cli(out, err, System.getenv(), Path.of("").toAbsolutePath(), Cli.thisJvm(), true), args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
