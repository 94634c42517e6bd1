package dev.baton.deploy.config;

import java.nio.file.Path;

/**
 * {@code runtime: {type: process, release: dist, keep_releases: 5}}: the files of a release,
 * uploaded to {@code <root>/<version>} on every server, where the services start.
 *
 * @param from a folder, or a {@code .tar.gz}/{@code .tgz}/{@code .tar} archive, on this machine
 * @param root the releases folder on the servers: {@code <ssh.dir>/releases}, or {@code <state_dir>/releases} here
 * @param keep how many releases a server keeps (the ones the colours run are never removed)
 */
public record ReleaseUpload(Path from, String root, int keep) {
    /** Where {@code version} lives on a server. */
    public String folder(String version) {
        return root + "/" + version;
    }
}
