package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void whatIsWrittenReadsBackTheSame() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "quote \" backslash \\ newline \n tab \t control \u0001 unicode é");
        m.put("int", 42L);
        m.put("negative", -7L);
        m.put("double", 2.5);
        m.put("yes", true);
        m.put("none", null);
        m.put("list", Arrays.asList(1L, "two", null, List.of()));
        m.put("nested", Map.of("k", Map.of()));
        assertThat(Json.parse(Json.write(m))).isEqualTo(m);
    }

    @Test
    void whitespaceIsAllowedAndTrailingTextIsNot() {
        assertThat(Json.parse(" { \"a\" : [ 1 , 2 ] } ")).isEqualTo(Map.of("a", List.of(1L, 2L)));
        assertThatThrownBy(() -> Json.parse("{\"a\":1} x")).hasMessageContaining("offset 8");
        assertThatThrownBy(() -> Json.parse("{\"a\":")).hasMessageContaining("unexpected end");
        assertThatThrownBy(() -> Json.parse("\"open")).hasMessageContaining("unterminated string");
    }
}
