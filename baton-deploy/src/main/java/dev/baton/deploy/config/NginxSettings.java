package dev.baton.deploy.config;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code router.nginx:} how Baton drives nginx as the router.
 *
 * @param site the live site file nginx includes, a symlink Baton points at one colour's file
 * @param available the folder the colours' files are written to, outside what nginx includes
 *     (default: {@code sites-available} beside a {@code sites-enabled} folder)
 * @param template the user's site template, or null for Baton's default (an upstream and a
 *     proxy_pass per route); its placeholders are {@link NginxTemplate#NAMES} and
 *     {@code {{upstream.N}}} (host:port of route N for the colour)
 * @param test the command that checks the configuration ({@code nginx -t}; a bare {@code nginx}
 *     is looked for in /usr/sbin too)
 * @param reload the command that makes nginx load it ({@code nginx -s reload})
 * @param pidFile nginx's pid file, whose workers are watched while the old colour drains
 */
public record NginxSettings(String site, String available, Path template, List<String> test, List<String> reload,
                            String pidFile) {
    public NginxSettings {
        test = List.copyOf(test);
        reload = List.copyOf(reload);
    }
}
