package dev.baton.deploy.config;

import java.net.URI;
import java.util.List;

/** A health check of something Baton does not run itself: a TCP port, an HTTP URL or a command. */
public sealed interface Check {
    /** For messages: {@code tcp 127.0.0.1:5432}. */
    String describe();

    record Tcp(String host, int port) implements Check {
        @Override
        public String describe() {
            return "tcp " + host + ":" + port;
        }
    }

    record Http(URI uri) implements Check {
        @Override
        public String describe() {
            return "http " + uri;
        }
    }

    record Exec(List<String> argv) implements Check {
        public Exec {
            argv = List.copyOf(argv);
        }

        @Override
        public String describe() {
            return "command " + String.join(" ", argv);
        }
    }
}
