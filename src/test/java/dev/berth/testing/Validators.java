package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Validators for the deployment recipes that npm has (src/test/validators/package.json, with its lock file):
 * installed with {@code npm ci} into target/validators, once per run. Where node or npm is missing the calling test
 * is skipped with the reason, and in CI ({@code CI=true}) fails ({@link RequiredServer}).
 */
public final class Validators {

    private static final Path SOURCE = Path.of("src", "test", "validators").toAbsolutePath();
    private static final Path HOME = Path.of("target", "validators").toAbsolutePath();
    private static final Duration INSTALL = Duration.ofMinutes(5);
    private static final Duration CHECK = Duration.ofMinutes(2);

    private static boolean installed;

    private Validators() {
    }

    /** What a validator printed and how it ended. */
    public record Result(int exitCode, String output) {
    }

    /**
     * Runs {@code command} (a program of the installed packages, such as {@code taplo}, or {@code node} with a script
     * of src/test/validators) in the repository's folder, after installing the packages on the first call.
     */
    public static synchronized Result run(String program, String... args) {
        install();
        List<String> command = new ArrayList<>();
        Path bin = HOME.resolve("node_modules").resolve(".bin").resolve(program);
        command.add(Files.exists(bin) ? bin.toString() : program);
        for (String arg : args) {
            command.add(arg.endsWith(".mjs") ? HOME.resolve(arg).toString() : arg);
        }
        return exec(command, Path.of("").toAbsolutePath(), CHECK);
    }

    private static void install() {
        if (installed) {
            return;
        }
        for (String tool : List.of("node", "npm")) {
            RequiredServer.require(onPath(tool), "the recipe validators (" + tool + ")");
        }
        try {
            Files.createDirectories(HOME);
            try (var files = Files.list(SOURCE)) {
                for (Path file : files.toList()) {
                    Files.copy(file, HOME.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Result npm = exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), HOME, INSTALL);
        if (npm.exitCode() != 0) {
            throw new AssertionError("npm ci in " + HOME + " exited " + npm.exitCode() + ":\n" + npm.output());
        }
        installed = true;
    }

    private static Binaries onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Binaries.at(candidate);
            }
        }
        return Binaries.absent(tool + " is not on PATH (apt-get install nodejs npm)");
    }

    private static Result exec(List<String> command, Path dir, Duration timeout) {
        try {
            Path log = Files.createTempFile("validator", ".log");
            try {
                Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(String.join(" ", command) + " did not end within " + timeout + ":\n" + Files.readString(log));
                }
                return new Result(process.exitValue(), Files.readString(log));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
