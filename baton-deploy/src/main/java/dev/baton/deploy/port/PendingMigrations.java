package dev.baton.deploy.port;

import java.util.List;

/**
 * What a migrator would run, for a plan.
 *
 * @param current the applied heads now
 * @param expand the revisions Migrate would apply (id and message, in order)
 * @param contract the contract revisions the Contract step would apply once the old colour stopped
 * @param sql the SQL of the whole upgrade, or null when not asked for
 */
public record PendingMigrations(List<String> current, List<String> expand, List<String> contract, String sql) {
    public PendingMigrations {
        current = List.copyOf(current);
        expand = List.copyOf(expand);
        contract = List.copyOf(contract);
    }
}
