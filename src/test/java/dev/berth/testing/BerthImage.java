package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The image the repository's Dockerfile builds, made once per test run by {@code docker/podman-build.sh} (which
 * first makes stand-ins for the base images when they are missing, as no image registry is reachable here), and the
 * images tests build on it.
 * A class keeps it in a field and builds it in {@code @BeforeAll}: where podman cannot run here,
 * {@link RequiredServerCondition} skips the class with the script's reason before it starts, and in CI
 * ({@code CI=true}) that is a failure ({@link RequiredServer}).
 */
public final class BerthImage {

    /**
     * The tag the tests build: one per checkout, so two checkouts' test runs on one machine never test each other's
     * image, and a user's own {@code berth} image is never touched.
     */
    public static final String TAG = "berth:test-" + Integer.toHexString(Path.of("").toAbsolutePath().toString().hashCode());

    private static final Path LOG = Podman.STATE.resolve("build.log");
    /** A fresh machine makes the base images and downloads every artifact: minutes, bounded generously. */
    private static final Duration BUILD = Duration.ofMinutes(25);

    private static BerthImage built;
    private static AssertionError failed;

    private final String tag;

    private BerthImage(String tag) {
        this.tag = tag;
    }

    /** The image, built on the first call; skips (in CI fails) the calling test where podman cannot run here. */
    public static synchronized BerthImage build() {
        RequiredServer.require(Podman.tools(), "podman");
        if (failed != null) {
            throw failed;
        }
        if (built == null) {
            System.out.println("Building " + TAG + " with docker/podman-build.sh (log: " + LOG + ")");
            long begin = System.nanoTime();
            List<String> command = List.of("bash", Podman.SCRIPT.toString(), "--tag=" + TAG);
            Podman.Result result = Podman.exec(BUILD, command, Podman.environment());
            write(LOG, result.output());
            if (result.exitCode() != 0) {
                failed = new AssertionError("docker/podman-build.sh exited " + result.exitCode() + " (log: " + LOG + "):\n" + tail(result.output()));
                throw failed;
            }
            System.out.println("Built " + TAG + " in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin) + " s");
            built = new BerthImage(TAG);
        }
        return built;
    }

    public String tag() {
        return tag;
    }

    /**
     * An image built from {@code dockerfile} (its text, whose {@code FROM berth} names this image) in the folder
     * {@code context}; named {@code name} and a random tag, and removed by the caller with {@link #remove()}.
     */
    public BerthImage derive(String name, String dockerfile, Path context) {
        String derived = name + ":" + UUID.randomUUID().toString().substring(0, 8);
        write(context.resolve("Dockerfile"), dockerfile.replace("FROM berth\n", "FROM " + tag + "\n"));
        Podman.ok(BUILD, "build", "--network=host", "--pull=never", "--tag", derived, context.toString());
        return new BerthImage(derived);
    }

    /**
     * An image built from the Dockerfile in {@code context} (a user's project with a recipe's Dockerfile) on the same
     * base images as Berth's, which the first {@link #build()} makes; {@code options} go to {@code podman build}
     * (volumes the build's RUN steps see). Named {@code name} and a random tag, and removed by the caller.
     */
    public static BerthImage buildContext(String name, Path context, String... options) {
        build();
        String tag = name + ":" + UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new java.util.ArrayList<>(List.of("build", "--network=host", "--pull=never", "--tag", tag));
        args.addAll(List.of(options));
        args.add(context.toString());
        Podman.ok(BUILD, args.toArray(String[]::new));
        return new BerthImage(tag);
    }

    /** Removes this image (only one a test derived: the image every class shares stays). */
    public void remove() {
        if (!tag.equals(TAG)) {
            Podman.run(Duration.ofMinutes(2), "rmi", "--force", "--ignore", tag);
        }
    }

    /** A container of this image; see {@link Container.Builder}. */
    public Container.Builder container() {
        return Container.builder(tag);
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
