package dev.baton.migrate;

import dev.baton.BatonException;
import dev.baton.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A database location as JDBC wants it. Accepts a JDBC URL ({@code jdbc:postgresql://...}) or the
 * DATABASE_URL convention ({@code postgres://user:pass@host:port/db?sslmode=require}).
 *
 * @param jdbcUrl the URL without credentials taken out of user-info
 * @param user user name, or null to leave it to the URL/driver
 * @param password password, or null; never printed (see {@link #toString()})
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    public static DatabaseUrl parse(String url, String user, String password) {
        String u = url.trim();
        if (u.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(u, user, password);
        }
        if (u.startsWith("postgres://") || u.startsWith("postgresql://")) {
            try {
                URI uri = new URI(u);
                String urlUser = null;
                String urlPassword = null;
                if (uri.getRawUserInfo() != null) {
                    String[] parts = uri.getRawUserInfo().split(":", 2);
                    urlUser = decode(parts[0]);
                    urlPassword = parts.length > 1 ? decode(parts[1]) : null;
                }
                if (uri.getHost() == null) {
                    throw BatonException.usage("database URL " + Secrets.redact(u) + " has no host;"
                            + " expected postgres://user:password@host:5432/database");
                }
                String db = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "" : uri.getRawPath().substring(1);
                StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
                if (uri.getPort() > 0) {
                    jdbc.append(':').append(uri.getPort());
                }
                jdbc.append('/').append(db);
                if (uri.getRawQuery() != null) {
                    jdbc.append('?').append(uri.getRawQuery());
                }
                return new DatabaseUrl(jdbc.toString(), user != null ? user : urlUser,
                        password != null ? password : urlPassword);
            } catch (URISyntaxException e) {
                throw BatonException.usage("database URL " + Secrets.redact(u) + " is not a valid URL: "
                        + Secrets.redact(e.getReason()));
            }
        }
        throw BatonException.usage("database URL " + Secrets.redact(u) + " is not supported; expected"
                + " jdbc:postgresql://host:5432/db or postgres://user:password@host:5432/db");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /**
     * Opens a session with these credentials, named {@code applicationName} in pg_stat_activity
     * (so a lock holder can be named), with a 10 s connect timeout and TCP keep-alive.
     */
    public Connection open(String applicationName) throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("connectTimeout", "10");
        props.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(jdbcUrl, props);
    }

    /** For people: the URL with any secret masked, and the user. */
    public String display() {
        return Secrets.redact(jdbcUrl) + (user == null ? "" : " as " + user);
    }

    @Override
    public String toString() {
        return display();
    }
}
