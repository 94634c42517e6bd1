package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void aPasswordInAUrlIsMaskedWhateverItHolds() {
        assertThat(Secrets.redact("database URL postgres://postgres:ab/SECRETslash@127.0.0.1:5432/x has no host"))
                .isEqualTo("database URL postgres://postgres:***@127.0.0.1:5432/x has no host");
        assertThat(Secrets.redact("postgres://u:p@ss@w0rd@db:5432/app?sslmode=require"))
                .isEqualTo("postgres://u:***@db:5432/app?sslmode=require");
        assertThat(Secrets.redact("postgres://u:pa:ss@db/app and postgres://v:x@db/other"))
                .isEqualTo("postgres://u:***@db/app and postgres://v:***@db/other");
        assertThat(Secrets.redact("jdbc:postgresql://db/app?user=u&password=s3cret")).doesNotContain("s3cret");
        assertThat(Secrets.redact("http://example.com/a:b@c")).isEqualTo("http://example.com/a:b@c");
    }
}
