package dev.baton.deploy.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

/** A local file's permission bits as the number SFTP and chmod take (0600, 0644). */
final class PosixFilePermissionsMode {
    private PosixFilePermissionsMode() {}

    static int of(Path file) throws IOException {
        int mode = 0;
        for (PosixFilePermission p : Files.getPosixFilePermissions(file)) {
            mode |= 1 << (8 - p.ordinal()); // OWNER_READ is 0400 ... OTHERS_EXECUTE is 0001, in that order
        }
        return mode;
    }
}
