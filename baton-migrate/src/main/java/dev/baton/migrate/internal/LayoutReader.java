package dev.baton.migrate.internal;

import dev.baton.migrate.Layout;
import dev.baton.migrate.Revision;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads one layout of migrations folder, following that layout's own tool's rules. */
interface LayoutReader {
    Layout layout();

    /** The folder's revisions, each with its parents, from its entries (sorted by name, hidden ones left out). */
    List<Revision> read(List<Path> entries);

    static LayoutReader of(Layout layout) {
        return of(layout, Map.of());
    }

    /** @param placeholders values for Flyway's placeholders (its layout alone replaces them) */
    static LayoutReader of(Layout layout, Map<String, String> placeholders) {
        return switch (layout) {
            case BATON -> new BatonLayout();
            case FLYWAY -> new FlywayLayout(new FlywayPlaceholders(placeholders));
            case GOLANG_MIGRATE -> new GolangMigrateLayout();
            case FOLDERS -> new FoldersLayout();
            case SQLX -> new SqlxLayout();
            case AUTO -> throw new IllegalArgumentException("detect the layout first");
        };
    }
}
