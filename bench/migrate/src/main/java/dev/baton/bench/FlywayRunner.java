package dev.baton.bench;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Runs one Flyway verb on a folder of V files through Flyway's Java API:
 * java -jar flyway-runner.jar JDBC_URL USER DIR [migrate|validate|info|baseline:VERSION].
 */
public final class FlywayRunner {
    public static void main(String[] args) {
        String verb = args.length > 3 ? args[3] : "migrate";
        // a schema that has tables but no Flyway history (the lock benchmark's) starts below V1 (no effect on an empty one)
        FluentConfiguration config = Flyway.configure().dataSource(args[0], args[1], "").locations("filesystem:" + args[2])
                .baselineOnMigrate(true).baselineVersion("0");
        if (verb.startsWith("baseline:")) {
            config.baselineVersion(verb.substring("baseline:".length())).load().baseline();
            return;
        }
        Flyway flyway = config.load();
        switch (verb) {
            case "migrate" -> System.err.println("flyway: applied " + flyway.migrate().migrationsExecuted);
            case "validate" -> flyway.validate();
            case "info" -> System.out.println("flyway: " + flyway.info().all().length + " migrations");
            default -> throw new IllegalArgumentException("unknown verb " + verb);
        }
    }
}
