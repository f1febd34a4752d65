package dev.berth.bind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds which process listens on a TCP port. On Linux: the listening sockets of {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} give the socket inode, and the {@code socket:[inode]} links under
 * {@code /proc/PID/fd} give the process. Elsewhere, or when the process belongs to another user and its
 * descriptors cannot be read, the owner is not visible.
 */
final class PortHolders {

    private static final String LISTEN = "0A";

    private final Path proc;

    PortHolders(Path proc) {
        this.proc = proc;
    }

    static PortHolders system() {
        return new PortHolders(Path.of("/proc"));
    }

    /**
     * The process listening on the port, if the operating system lets Berth see it. Processes are taken in
     * pid order, as /proc lists them, so of a pre-forking server whose workers share the listener the lowest
     * pid is named, usually its master.
     */
    Optional<PortHolder> holderOf(int port) {
        Set<String> inodes = listeningInodes(port);
        if (inodes.isEmpty()) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(proc)) {
            return entries.filter(PortHolders::isProcess)
                    .sorted(Comparator.comparingLong(PortHolders::pid))
                    .filter(process -> holdsAny(process, inodes))
                    .findFirst()
                    .map(process -> new PortHolder(pid(process), commandLine(process)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean isProcess(Path entry) {
        return entry.getFileName().toString().chars().allMatch(Character::isDigit);
    }

    private static long pid(Path process) {
        return Long.parseLong(process.getFileName().toString());
    }

    /** Socket inodes in LISTEN state on the port, any local address, IPv4 and IPv6. */
    Set<String> listeningInodes(int port) {
        Set<String> inodes = new HashSet<>();
        String hexPort = String.format(":%04X", port);
        for (String table : List.of("net/tcp", "net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(proc.resolve(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode ...
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 9 && fields[1].endsWith(hexPort) && fields[3].equals(LISTEN) && !fields[9].equals("0")) {
                    inodes.add(fields[9]);
                }
            }
        }
        return inodes;
    }

    private static boolean holdsAny(Path process, Set<String> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue;
                }
                if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    static String commandLine(Path process) {
        try {
            byte[] raw = Files.readAllBytes(process.resolve("cmdline"));
            String command = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
            if (command.length() > 200) {
                command = command.substring(0, 197) + "...";
            }
            return command.isEmpty() ? "command line not visible" : command;
        } catch (IOException e) {
            return "command line not visible";
        }
    }
}
