package dev.baton.migrate;

import dev.baton.BatonException;
import dev.baton.Secrets;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;

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
            checkParameters(u);
            return new DatabaseUrl(u, user, password);
        }
        if (u.startsWith("postgres://") || u.startsWith("postgresql://")) {
            checkParameters(u);
            return fromPostgresUrl(u, user, password);
        }
        throw BatonException.usage("database URL " + Secrets.redact(u) + " is not supported; expected"
                + " jdbc:postgresql://host:5432/db or postgres://user:password@host:5432/db");
    }

    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    private static final Set<String> SECONDS = Set.of("connectTimeout", "socketTimeout", "loginTimeout");

    /**
     * The parameters the driver would refuse only when it connects, refused here as what they are
     * (the driver's words sound like a server that is down): sslmode (pgjdbc's values; {@code
     * sslmode=required} is the usual slip) and the timeouts, in whole seconds.
     */
    private static void checkParameters(String u) {
        int q = u.indexOf('?');
        if (q < 0) {
            return;
        }
        for (String pair : u.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (key.equals("sslmode") && !SSL_MODES.contains(value)) {
                throw BatonException.usage("database URL " + Secrets.redact(u) + ": sslmode=" + value + " is not a mode; write one of"
                        + " disable, allow, prefer, require, verify-ca, verify-full");
            }
            if (SECONDS.contains(key) && !value.matches("\\d{1,9}")) {
                throw BatonException.usage("database URL " + Secrets.redact(u) + ": " + key + "=" + value + " is not a number of"
                        + " seconds; write e.g. " + key + "=10");
            }
        }
    }

    /**
     * {@code postgres://user:password@host:port/database?params}, read by rules that hold for any
     * password: the user-info ends at the last {@code @} before the query, so a password may hold
     * {@code /}, {@code @} and {@code :} as they are (percent-encoding is honoured too; {@code ?} and
     * {@code #} must be encoded). A database name is required, and the port must be a port.
     */
    private static DatabaseUrl fromPostgresUrl(String u, String user, String password) {
        String shown = Secrets.redact(u);
        String rest = u.substring(u.indexOf("://") + 3);
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String urlUser = null;
        String urlPassword = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            urlUser = percentDecode(colon < 0 ? info : info.substring(0, colon), shown);
            urlPassword = colon < 0 ? null : percentDecode(info.substring(colon + 1), shown);
        }
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String db = slash < 0 ? "" : percentDecode(rest.substring(slash + 1), shown);
        String host = hostPort;
        int port = -1;
        int portColon = hostPort.startsWith("[") ? hostPort.indexOf("]:") + 1 : hostPort.lastIndexOf(':');
        if (portColon > 0) {
            host = hostPort.substring(0, portColon);
            String p = hostPort.substring(portColon + 1);
            if (!p.matches("\\d{1,5}") || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
                throw BatonException.usage("database URL " + shown + ": port \"" + p + "\" is not a port (1 to 65535)");
            }
            port = Integer.parseInt(p);
        }
        if (host.isEmpty() || host.equals("[]") || !host.matches("[A-Za-z0-9._\\-]+|\\[[0-9A-Fa-f:.]+]")) {
            throw BatonException.usage("database URL " + shown + " has no valid host" + (host.isEmpty() ? "" : " (\"" + host + "\")")
                    + "; expected postgres://user:password@host:5432/database (encode ? and # in a password as %3F and %23)");
        }
        if (db.isEmpty() || db.contains("/")) {
            throw BatonException.usage("database URL " + shown + " names no database; add it after the host:"
                    + " postgres://user:password@" + host + (port > 0 ? ":" + port : "") + "/<database> (without one, PostgreSQL"
                    + " would use the database named after the user)");
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host);
        if (port > 0) {
            jdbc.append(':').append(port);
        }
        jdbc.append('/').append(URLEncoder.encode(db, StandardCharsets.UTF_8).replace("+", "%20"));
        if (query != null && !query.isEmpty()) {
            jdbc.append('?').append(query);
        }
        return new DatabaseUrl(jdbc.toString(), user != null ? user : urlUser, password != null ? password : urlPassword);
    }

    /** %XX escapes decoded as UTF-8; everything else, {@code +} included, as it is. */
    private static String percentDecode(String s, String shownUrl) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw BatonException.usage("database URL " + shownUrl + ": a % that is not followed by two hex digits;"
                            + " write a literal % as %25");
                }
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                int end = s.indexOf('%', i);
                byte[] b = s.substring(i, end < 0 ? s.length() : end).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i = (end < 0 ? s.length() : end) - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
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

    /** The same server and credentials, another database (a plain name, checked by the caller). */
    public DatabaseUrl withDatabase(String name) {
        String prefix = "jdbc:postgresql://";
        int slash = jdbcUrl.indexOf('/', prefix.length());
        int query = jdbcUrl.indexOf('?');
        String server = slash < 0 ? (query < 0 ? jdbcUrl : jdbcUrl.substring(0, query)) : jdbcUrl.substring(0, slash);
        return new DatabaseUrl(server + "/" + name + (query < 0 ? "" : jdbcUrl.substring(query)), user, password);
    }

    /**
     * Why a session could not be opened or used, for people: the server's or driver's reason (secrets
     * masked) and, for the usual causes (SQLSTATE), what to do; {@code otherwise} when none of them.
     */
    public String whyNot(SQLException e, String otherwise) {
        String reason = Secrets.redact(String.valueOf(e.getMessage()), password);
        String hint = switch (e.getSQLState() == null ? "" : e.getSQLState()) {
            case "3D000" -> database().isEmpty() ? "the database does not exist on that server: create it or name one that exists"
                    : "no database " + database() + " on that server: create it (CREATE DATABASE " + database()
                    + ", e.g. with psql or createdb) or name one that exists";
            case "28P01", "28000" -> "the server refused this login: check the user and password (and the server's"
                    + " pg_hba.conf for this client)";
            // pgjdbc's own "connection refused" already says to check host and port
            case "08001", "08004", "08006" -> reason.contains("Check that the hostname") ? null
                    : "no PostgreSQL answered there: check the host and port, and that the server runs";
            // the server's first byte was not PostgreSQL's (pgjdbc's words speak of SSL, which misleads)
            case "08P01" -> "something answers there, but not as PostgreSQL does (another kind of server on that port?):"
                    + " check the host and port (PostgreSQL's default is 5432)";
            default -> otherwise;
        };
        return reason + (hint == null ? "" : "; " + hint);
    }

    /** The database this URL names (as written in it, percent-encoding and all). */
    String database() {
        String prefix = "jdbc:postgresql://";
        int slash = jdbcUrl.indexOf('/', prefix.length());
        int query = jdbcUrl.indexOf('?');
        return slash < 0 ? "" : jdbcUrl.substring(slash + 1, query < slash ? jdbcUrl.length() : query);
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
