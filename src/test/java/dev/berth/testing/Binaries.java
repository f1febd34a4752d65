package dev.berth.testing;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What looking for a server's binaries found: where they are, or why this machine has none, in words a test
 * report can show as the reason it skipped.
 */
record Binaries(Optional<Path> path, String absence) {

    static Binaries at(Path path) {
        return new Binaries(Optional.of(path), "");
    }

    static Binaries absent(String why) {
        return new Binaries(Optional.empty(), why);
    }

    boolean found() {
        return path.isPresent();
    }
}
