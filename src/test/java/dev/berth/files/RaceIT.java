package dev.berth.files;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.UnixHttp;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several real Berths on one machine racing for the same files: one pid file, port file and unix socket; one
 * work directory under overlapping restarts; a migration cache whose conversion is killed.
 */
class RaceIT {

    private static final int AT_ONCE = 10;
    private static final int RESTARTS = 20;
    private static final int WAR_FILES = 3000;
    private static final int BULK_CLASSES = 5000;

    @TempDir
    Path dir;

    @Test
    void ofTenBerthsStartedAtOnceOnOnePidFilePortFileAndSocketExactlyOneRunsAndTheOthersExit75NamingIt() throws Exception {
        Path pidFile = dir.resolve("berth.pid");
        Path portFile = dir.resolve("berth.port");
        Path socket = dir.resolve("berth.sock");
        List<BerthProcess> all = new ArrayList<>();
        try {
            for (int i = 0; i < AT_ONCE; i++) {
                all.add(BerthProcess.builder().loopback().args("--pid-file=" + pidFile, "--port-file=" + portFile,
                        "--unix-socket=" + socket, "--work-dir=" + dir.resolve("work")).start());
            }
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                    .until(() -> all.stream().filter(p -> !p.process().isAlive()).count() >= AT_ONCE - 1);
            List<BerthProcess> running = all.stream().filter(p -> p.process().isAlive()).toList();
            assertThat(running).as("Berths still running").hasSize(1);
            BerthProcess winner = running.get(0);
            winner.awaitOutput("Status page deployed");
            int port = winner.awaitPort();
            for (BerthProcess loser : all) {
                if (loser != winner) {
                    assertThat(loser.process().exitValue()).as(loser.output()).isEqualTo(75);
                    assertThat(loser.output()).contains("another Berth (pid " + winner.pid() + ") holds the");
                }
            }
            assertThat(Files.readString(pidFile).strip()).isEqualTo(String.valueOf(winner.pid()));
            assertThat(Files.readString(portFile).strip()).isEqualTo(String.valueOf(port));
            assertThat(UnixHttp.get(socket, "/health/live")).startsWith("HTTP/1.1 200");
            assertThat(winner.terminate()).isIn(0, 143);
            try (Stream<Path> left = Files.list(dir)) {
                assertThat(left).as("what the run left").containsExactly(dir.resolve("work"));
            }
        } finally {
            all.forEach(BerthProcess::close);
        }
    }

    @Test
    void twentyOverlappingRestartsInOneWorkDirectoryWithALargeWarNeverExit73OrTouchALiveRunsFolder() throws Exception {
        Path war = withManyFiles(Wars.hello(), dir.resolve("large.war"));
        Path work = dir.resolve("work");
        BerthProcess previous = start(war, work).serving("large.war deployed in");
        try {
            for (int restart = 1; restart <= RESTARTS; restart++) {
                BerthProcess next;
                if (restart % 2 == 0) {
                    next = start(war, work).start();
                    previous.process().destroy();
                } else {
                    previous.process().destroy();
                    next = start(war, work).start();
                }
                next.awaitPort();
                next.awaitOutput("large.war deployed in");
                assertThat(Http.get(next.port(), "/many/" + (restart * 97 % WAR_FILES) + ".txt").statusCode()).isEqualTo(200);
                assertThat(previous.awaitExit(Duration.ofSeconds(60))).as(previous.output()).isIn(0, 143);
                assertThat(Http.get(next.port(), "/many/" + (restart * 89 % WAR_FILES) + ".txt").statusCode()).isEqualTo(200);
                assertThat(runFolders(work)).as("run folders beside the one live run").hasSize(1);
                previous = next;
            }
        } finally {
            previous.close();
        }
        assertThat(previous.awaitExit(Duration.ofSeconds(60))).isIn(0, 143);
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).as("what the runs left in " + work).isEmpty();
        }
    }

    @Test
    void aConversionKilledHalfwayLeavesNoPartialFileAfterTheNextStart() throws Exception {
        Path war = withBulkyJar(Wars.build("javax"), dir.resolve("legacy.war"));
        Path work = dir.resolve("work");
        Path cache = work.resolve("migrated");
        try (BerthProcess killed = start(war, work).start()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                    .until(() -> !conversions(cache).isEmpty() || !killed.process().isAlive());
            killed.process().destroyForcibly();
            assertThat(killed.awaitExit(Duration.ofSeconds(30))).as(killed.output()).isEqualTo(137);
        }
        assertThat(conversions(cache)).as("what the killed conversion left").isNotEmpty();

        try (BerthProcess next = start(war, work).serving("legacy.war deployed in")) {
            assertThat(next.output()).contains("converted to Jakarta");
            try (Stream<Path> left = Files.list(cache)) {
                assertThat(left).singleElement().satisfies(entry -> assertThat(entry.getFileName().toString()).endsWith(".war"));
            }
        }
    }

    private static List<Path> conversions(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(cache)) {
            return entries.filter(p -> !p.getFileName().toString().endsWith(".war")).toList();
        }
    }

    /** A copy of {@code war} with a jar of {@value #BULK_CLASSES} javax classes: a conversion that takes a while. */
    static Path withBulkyJar(Path war, Path copy) throws IOException {
        byte[] servlet;
        try (InputStream in = RaceIT.class.getResourceAsStream("/dev/berth/fixture/javax/LegacyServlet.class")) {
            servlet = in.readAllBytes();
        }
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(jar)) {
            for (int i = 0; i < BULK_CLASSES; i++) {
                out.putNextEntry(new ZipEntry("bulk/Legacy" + i + ".class"));
                out.write(servlet);
                out.closeEntry();
            }
        }
        Files.copy(war, copy);
        try (FileSystem zip = FileSystems.newFileSystem(copy)) {
            Path lib = zip.getPath("/WEB-INF/lib/bulk.jar");
            Files.createDirectories(lib.getParent());
            Files.write(lib, jar.toByteArray());
        }
        return copy;
    }

    private static BerthProcess.Builder start(Path war, Path work) {
        return BerthProcess.builder().loopback().args("--work-dir=" + work, "--shutdown.delay=300ms", war.toString());
    }

    private static List<Path> runFolders(Path work) throws IOException {
        try (Stream<Path> entries = Files.list(work)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("run-")).toList();
        }
    }

    /** A copy of {@code war} with {@value #WAR_FILES} more static files. */
    static Path withManyFiles(Path war, Path copy) {
        try {
            Files.copy(war, copy);
            try (FileSystem zip = FileSystems.newFileSystem(copy)) {
                for (int i = 0; i < WAR_FILES; i++) {
                    Path file = zip.getPath("/many/" + i + ".txt");
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, "file " + i + "\n");
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
