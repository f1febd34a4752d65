package dev.berth.lifecycle;

import dev.berth.BerthException;
import dev.berth.ExitCode;
import dev.berth.bind.PortHolder;
import dev.berth.bind.PortHolders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code berth.port-file}, with the pid file's rules: an existing file whose port is held by another live
 * Berth means another instance (exit 75); otherwise it is stale, removed and reported.
 */
public final class PortFile {

    private static final String WHAT = "port file";

    private final Path path;

    private PortFile(Path path) {
        this.path = path;
    }

    public static PortFile claim(Path path, PortHolders holders) throws BerthException {
        Path absolute = path.toAbsolutePath();
        OwnedFile.checkWritable(absolute, WHAT);
        if (Files.exists(absolute)) {
            String text;
            try {
                text = Files.readString(absolute).strip();
            } catch (IOException e) {
                throw new BerthException(ExitCode.CANT_CREATE, "cannot read the existing port file " + absolute + ": " + e,
                        "check its permissions, or remove it if no Berth runs");
            }
            String stale;
            int port = parse(text);
            if (port <= 0) {
                stale = "it holds no port ('" + PidFile.abbreviate(text) + "')";
            } else {
                Optional<PortHolder> holder = holders.holderOf(port);
                if (holder.isPresent() && holder.get().pid() != Processes.self() && Processes.looksLikeBerth(holder.get().command())) {
                    throw new BerthException(ExitCode.TEMP_FAIL, "another Berth (pid " + holder.get().pid() + ") listens on port " + port
                            + " named by the port file " + absolute, "stop pid " + holder.get().pid() + " first, or give this instance its own berth.port-file");
                }
                stale = holder.map(h -> "port " + port + " is held by " + h + ", not a Berth").orElse("nothing listens on port " + port);
            }
            OwnedFile.removeStale(absolute, WHAT, stale);
        }
        return new PortFile(absolute);
    }

    public OwnedFile write(int port) throws BerthException {
        return OwnedFile.write(path, String.valueOf(port), WHAT);
    }

    private static int parse(String text) {
        try {
            int port = Integer.parseInt(text);
            return port > 0 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
