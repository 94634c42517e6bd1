package dev.baton;

import java.util.regex.Pattern;

/** Removes secrets from text before it reaches a console, a log or an event. */
public final class Secrets {
    public static final String MASK = "***";

    // user:password@ in URLs of any scheme, up to the last @ of the URL: a password may hold / @ : as they are
    private static final Pattern URL_USERINFO = Pattern.compile("(://[^/:@\\s?#]*):([^\\s?#]*)@");
    // password=... in JDBC query strings and key=value option lists
    private static final Pattern PASSWORD_PARAM =
            Pattern.compile("(?i)((?:password|passwd|pwd|sslpassword|token|secret)=)([^&;\\s]*)");

    private Secrets() {}

    /** The text with passwords in URLs and password parameters replaced by {@value #MASK}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = URL_USERINFO.matcher(text).replaceAll("$1:" + MASK + "@");
        return PASSWORD_PARAM.matcher(out).replaceAll("$1" + MASK);
    }

    /** The text with every occurrence of the given literal secret masked (no-op for null/short secrets). */
    public static String redact(String text, String secret) {
        String out = redact(text);
        if (out == null || secret == null || secret.isEmpty()) {
            return out;
        }
        return out.replace(secret, MASK);
    }
}
