package dev.baton.bench;

import org.flywaydb.core.Flyway;

/** Applies a folder of V files with Flyway's Java API: java -jar flyway-runner.jar JDBC_URL USER DIR. */
public final class FlywayRunner {
    public static void main(String[] args) {
        var result = Flyway.configure()
                .dataSource(args[0], args[1], "")
                .locations("filesystem:" + args[2])
                .load()
                .migrate();
        System.err.println("flyway: applied " + result.migrationsExecuted);
    }
}
