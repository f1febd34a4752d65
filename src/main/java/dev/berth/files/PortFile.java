package dev.berth.files;

import dev.berth.BerthException;
import dev.berth.ExitCode;
import dev.berth.bind.PortHolder;
import dev.berth.bind.PortHolders;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code berth.port-file}, with the pid file's rules: an existing file whose port is held by another live
 * Berth means another instance (exit 75); otherwise it is stale, removed and reported.
 */
final class PortFile {

    private static final String WHAT = "port file";

    private final Path path;

    private PortFile(Path path) {
        this.path = path;
    }

    static PortFile claim(Path path, PortHolders holders) throws BerthException {
        return new PortFile(OwnedFile.claim(path, WHAT, (absolute, content) -> whyStale(absolute, content, holders)));
    }

    OwnedFile write(int port) throws BerthException {
        return OwnedFile.write(path, String.valueOf(port), WHAT);
    }

    private static String whyStale(Path path, String content, PortHolders holders) throws BerthException {
        int port = parse(content);
        if (port <= 0) {
            return "it holds no port ('" + OwnedFile.abbreviate(content) + "')";
        }
        Optional<PortHolder> holder = holders.holderOf(port);
        if (holder.isPresent() && holder.get().pid() != Processes.self() && Processes.looksLikeBerth(holder.get().command())) {
            long pid = holder.get().pid();
            throw new BerthException(ExitCode.TEMP_FAIL, "another Berth (pid " + pid + ") listens on port " + port
                    + " named by the port file " + path, "stop pid " + pid + " first, or give this instance its own berth.port-file");
        }
        return holder.map(h -> "port " + port + " is held by " + h + ", not a Berth").orElse("nothing listens on port " + port);
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
