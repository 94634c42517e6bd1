package dev.baton.deploy.config;

/**
 * {@code release:} the git tag a successful deploy makes.
 *
 * @param tag the tag's name; {@code {version}}, {@code {release}}, {@code {date}}, {@code {time}} and {@code {colour}} are filled in
 * @param push the remote to push the tag to, or null to keep it local
 */
public record ReleaseSettings(String tag, String push) {}
