package dev.berth.files;

import dev.berth.testing.BerthProcess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What a pid file or a work directory found at start means, decided by locks, never by names. */
class RunFilesIT {

    @TempDir
    Path dir;

    @Test
    void aLiveProcessNamedBerthWhosePidIsInALeftoverPidFileIsNotMistakenForABerth() throws Exception {
        Path pidFile = dir.resolve("app.pid");
        Path berthSleep = Files.copy(Path.of("/bin/sleep"), dir.resolve("berth-sleep"));
        Process impostor = new ProcessBuilder(berthSleep.toString(), "3600").start();
        try {
            assertThat(impostor.info().commandLine().orElse("")).contains("berth-sleep");
            Files.writeString(pidFile, impostor.pid() + "\n");
            try (BerthProcess berth = BerthProcess.builder().loopback().args("--pid-file=" + pidFile).serving("Status page deployed")) {
                assertThat(berth.output()).contains("Removed stale pid file " + pidFile + ": it held '" + impostor.pid() + "'");
                assertThat(Files.readString(pidFile).strip()).isEqualTo(String.valueOf(berth.pid()));
            }
            assertThat(impostor.isAlive()).isTrue();
        } finally {
            impostor.destroy();
            impostor.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWorkDirectoryThatIsAFileIsExit73WithoutBlamingPermissions() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x\n");

        BerthProcess.Result result = BerthProcess.builder().loopback().args("--work-dir=" + file).run();

        assertThat(result.exitCode()).isEqualTo(73);
        assertThat(result.output()).contains("cannot create Berth's work directory under " + file).doesNotContain("writable");
    }

    @Test
    void aWorkDirectoryOtherUsersCanWriteOrALinkIsRefusedBeforeAnythingIsWrittenInIt() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectories(dir.resolve("private")));

        BerthProcess.Result writable = BerthProcess.builder().loopback().args("--work-dir=" + shared).run();
        BerthProcess.Result linked = BerthProcess.builder().loopback().args("--work-dir=" + link).run();

        assertThat(writable.exitCode()).isEqualTo(73);
        assertThat(writable.output()).contains("Berth's work directory " + shared + " is writable by other users (mode 0777)")
                .contains("chmod go-w " + shared);
        assertThat(linked.exitCode()).isEqualTo(73);
        assertThat(linked.output()).contains("Berth's work directory " + link + " is a symbolic link");
        try (Stream<Path> written = Stream.concat(Files.list(shared), Files.list(dir.resolve("private")))) {
            assertThat(written).isEmpty();
        }
    }

    @Test
    void onePathForTwoRunFilesIsABadSettingExit64() {
        Path same = dir.resolve("app.pid");

        BerthProcess.Result result = BerthProcess.builder().loopback().args("--pid-file=" + same, "--port-file=" + same).run();

        assertThat(result.exitCode()).isEqualTo(64);
        assertThat(result.output()).contains("port-file=" + same).contains("the same file as berth.pid-file");
    }
}
