package dev.baton.demo.pg;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/**
 * A throwaway PostgreSQL for {@code baton demo} on a machine without one: starts an embedded
 * server on a free loopback port, prints {@code READY postgres://postgres@127.0.0.1:<port>/postgres},
 * and runs until its standard input closes (the demo ended, however it ended) or it is
 * terminated; then the server stops and its data folder is deleted. PostgreSQL refuses to run
 * as root, so this exits with status 3 and says so when run as root.
 */
public final class EmbeddedPostgresMain {
    private EmbeddedPostgresMain() {}

    public static void main(String[] args) throws IOException {
        if ("root".equals(System.getProperty("user.name"))) {
            System.out.println("FAILED PostgreSQL refuses to run as root");
            System.exit(3);
        }
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder().setCleanDataDirectory(true).start();
        } catch (IOException | RuntimeException e) {
            System.out.println("FAILED " + e.getMessage().replace('\n', ' '));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException e) {
                System.err.println("stopping the embedded PostgreSQL: " + e.getMessage());
            }
        }));
        System.out.println("READY postgres://postgres@127.0.0.1:" + pg.getPort() + "/postgres");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to go away
        }
        System.exit(0);
    }
}
