package dev.berth.security;

import dev.berth.Berth;
import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.files.WorkDirectory;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a run unpacks lives in Berth's work directory, goes when it stops, and is cleaned after a kill -9. */
class WorkDirectoryTest {

    @TempDir
    Path work;

    private static long exitedPid() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        return gone.pid();
    }

    private Stream<Path> runs() throws Exception {
        return Files.list(work).filter(p -> p.getFileName().toString().startsWith("run-"));
    }

    @Test
    void aWorkDirectoryWithLessRoomThanTheWarNeedsIsExit73NamingTheFolderAndBothSizes() throws Exception {
        WorkDirectory claimed = WorkDirectory.claim(work);
        Path real = work.toAbsolutePath().normalize();
        try {
            claimed.checkRoomFor(1_000_000, "unpacking small.war");
            assertThatThrownBy(() -> claimed.checkRoomFor(Long.MAX_VALUE, "unpacking huge.war")).isInstanceOfSatisfying(BerthException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.CANT_CREATE);
                assertThat(e.description()).startsWith("Berth's work directory " + real + " has ")
                        .contains(" MB free; unpacking huge.war needs 9223372036854.8 MB");
                assertThat(e.action()).hasValue("free space there, or point berth.work-dir at a file system with room");
            });
        } finally {
            claimed.remove();
        }
    }

    @Test
    void theWarIsUnpackedIntoThisRunsFolderWhichGoesWhenItStops() throws Exception {
        try (Berth berth = Loopback.serving(Wars.hello(), "berth.work-dir", work.toString())) {
            assertThat(Http.get(berth.port(), "/annotated").statusCode()).isEqualTo(200);
            try (Stream<Path> runs = runs()) {
                Path run = runs.findFirst().orElseThrow();
                assertThat(run.resolve("war/WEB-INF/web.xml")).exists();
            }
        }
        try (Stream<Path> runs = runs()) {
            assertThat(runs).isEmpty();
        }
    }

    @Test
    void foldersOfDeadRunsAreRemovedAtStartAndNothingElseIsTouched() throws Exception {
        Path dead = Files.createDirectories(work.resolve("run-" + exitedPid() + "-1/war/WEB-INF"));
        Files.createFile(dead.getParent().getParent().resolve(".lock")); // nobody holds it: dead whatever its pid now runs
        Path notOurs = Files.createDirectories(work.resolve("cache"));
        Path oddName = Files.createDirectories(work.resolve("run-notapid"));
        Path outside = Files.writeString(work.getParent().resolve(work.getFileName() + "-outside.txt"), "keep\n");
        Files.createSymbolicLink(dead.resolve("link-out"), outside);
        try (Berth berth = Loopback.serving("berth.work-dir", work.toString())) {
            assertThat(dead.getParent().getParent()).doesNotExist();
            assertThat(notOurs).exists();
            assertThat(oddName).exists();
            assertThat(Files.readString(outside)).isEqualTo("keep\n");
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void aFolderWhoseLockIsHeldIsKeptWhateverItsProcessIsCalledAndAnUnheldOneGoes() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Path held = Files.createDirectories(work.resolve("run-" + sleeper.pid() + "-1"));
            Path reused = Files.createDirectories(work.resolve("run-" + sleeper.pid() + "-2"));
            Files.createFile(reused.resolve(".lock"));
            try (FileChannel channel = FileChannel.open(held.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.lock();
                 Berth berth = Loopback.serving("berth.work-dir", work.toString())) {
                assertThat(held).exists();
                assertThat(reused).doesNotExist();
            }
        } finally {
            sleeper.destroy();
        }
    }
}
