package dev.baton.deploy.lock;

import java.io.IOException;
import java.net.InetAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a baton process names itself as the deploy lock's holder, {@code baton <verb> <app> by
 * <user>@<host> pid <pid>} (at most 63 characters: PostgreSQL's application_name), and whether
 * a holder so named is a process of this machine that no longer exists.
 */
public final class LockHolder {
    private static final Pattern NAME = Pattern.compile("baton \\S+ .* by [^@ ]+@(\\S+) pid (\\d{1,18})");

    private LockHolder() {}

    /** {@code user@host} of this process. */
    public static String who() {
        return System.getProperty("user.name") + "@" + host();
    }

    public static String name(String verb, String app) {
        String name = "baton " + verb + " " + app + " by " + who() + " pid " + ProcessHandle.current().pid();
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /** A baton of this machine that is gone (killed with -9, say); false for anything else, or a name cut short. */
    static boolean goneFromHere(String holder) {
        Matcher m = holder == null ? null : NAME.matcher(holder);
        return m != null && m.matches() && m.group(1).equals(host()) && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty();
    }

    public static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
