package dev.berth;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CDS training run and the archive's use, with the java commands of docs/cold-starts.md for Java 17 and 21. The
 * Dockerfile's Java 25 AOT cache is made and checked (-XX:AOTMode=on) by bench/aot/measure.py with the same
 * commands (no Docker engine here). The gains themselves are measured in bench/cds and bench/aot, not asserted.
 */
class TrainingIT {

    @TempDir
    Path dir;

    @Test
    void aTrainingRunServesOneRequestExitsCleanlyAndLeavesAnArchiveThatLaterRunsMap() throws Exception {
        Path archive = dir.resolve("app.jsa");
        String war = Wars.hello().toString();
        BerthProcess.Result training = BerthProcess.builder().jvm("-XX:ArchiveClassesAtExit=" + archive)
                .loopback().args("--train", war).run();
        assertThat(training.exitCode()).isZero();
        assertThat(training.output()).contains("hello.war deployed in", "Training run: GET / answered HTTP/1.1 200", "Stopped in");
        assertThat(archive).exists();
        assertThat(Files.size(archive)).isGreaterThan(1_000_000);

        // -Xshare:on fails the start if the archive cannot be used; class+load shows where classes came from
        BerthProcess.Result withArchive = BerthProcess.builder()
                .jvm("-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-Xlog:class+load=info")
                .loopback().args("--train", war).run();
        assertThat(withArchive.exitCode()).isZero();
        assertThat(withArchive.output())
                .containsPattern("org\\.eclipse\\.jetty\\.server\\.Server source: shared objects file \\(top\\)")
                .containsPattern("dev\\.berth\\.Berth source: shared objects file \\(top\\)");
    }

    @Test
    void aTrainingRunWhoseWarFailsExits70() {
        BerthProcess.Result result = BerthProcess.builder()
                .loopback().args("--train", Wars.build("failing", "failing.millis", "0").toString()).run();
        assertThat(result.exitCode()).isEqualTo(70);
    }
}
