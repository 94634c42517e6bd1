package dev.baton.migrate.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.migrate.Revision;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RevisionGraphTest {
    static Revision rev(String id, String... parents) {
        return new Revision(id, List.of(parents), "", id + ".sql", null, true, null, null);
    }

    @Test
    void ordersTopologicallyAndFindsHeads() {
        RevisionGraph g = new RevisionGraph(List.of(rev("m", "b1", "b2"), rev("b2", "a"), rev("a"), rev("b1", "a")));
        List<String> order = g.revisions().stream().map(Revision::id).toList();
        assertThat(order.get(0)).isEqualTo("a");
        assertThat(order.get(3)).isEqualTo("m");
        assertThat(g.heads()).extracting(Revision::id).containsExactly("m");
        assertThat(g.closure(List.of("b1"))).isEqualTo(Set.of("a", "b1"));
        assertThat(g.descendants("a")).isEqualTo(Set.of("b1", "b2", "m"));
    }

    @Test
    void duplicateIdNamesBothFiles() {
        assertThatThrownBy(() -> new RevisionGraph(List.of(rev("a"), new Revision("a", List.of(), "", "other.sql", null, true, null, null))))
                .isInstanceOf(BatonException.class)
                .hasMessageContaining("duplicate revision id a").hasMessageContaining("a.sql").hasMessageContaining("other.sql");
    }

    @Test
    void missingParentNamesTheFile() {
        assertThatThrownBy(() -> new RevisionGraph(List.of(rev("a"), rev("b", "zz"))))
                .hasMessageContaining("b.sql").hasMessageContaining("parent zz");
    }

    @Test
    void cycleIsReportedWithItsMembers() {
        assertThatThrownBy(() -> new RevisionGraph(List.of(rev("a"), rev("b", "a", "c"), rev("c", "b"))))
                .hasMessageContaining("cycle").hasMessageContaining("b (b.sql)").hasMessageContaining("c (c.sql)");
    }

    @Test
    void twoHeadsWhereOneIsRequiredSuggestsAMerge() {
        RevisionGraph g = new RevisionGraph(List.of(rev("a"), rev("b1", "a"), rev("b2", "a")));
        assertThatThrownBy(g::requireSingleHead).hasMessageContaining("2 heads").hasMessageContaining("--merge");
    }

    @Test
    void resolvesUniquePrefixesAndRejectsUnknownOrAmbiguousOnes() {
        RevisionGraph g = new RevisionGraph(List.of(rev("abcd1111"), rev("abcd2222", "abcd1111")));
        assertThat(g.resolve("abcd2").id()).isEqualTo("abcd2222");
        assertThatThrownBy(() -> g.resolve("abcd")).hasMessageContaining("ambiguous");
        assertThatThrownBy(() -> g.resolve("nope")).hasMessageContaining("unknown revision nope").hasMessageContaining("lists the 2 revisions");
        assertThatThrownBy(() -> new RevisionGraph(List.of(rev("abcd1111"))).resolve("nope")).hasMessageContaining("lists the 1 revision of");
    }
}
