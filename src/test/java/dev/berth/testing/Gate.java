package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file a fixture WAR waits for (see {@code FixtureSettings}): the test holds the fixture at a known
 * point and lets it go on by opening the gate, so nothing depends on how fast the machine is.
 */
public record Gate(Path file) {

    public static Gate in(Path dir, String name) {
        return new Gate(dir.resolve(name + ".gate"));
    }

    public String path() {
        return file.toString();
    }

    public void open() {
        try {
            Files.writeString(file, "open\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
