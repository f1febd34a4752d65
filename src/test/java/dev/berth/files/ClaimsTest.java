package dev.berth.files;

import dev.berth.base.BerthException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Claims through operating-system locks, in one JVM: what two embedded Berths would do to each other. */
class ClaimsTest {

    @TempDir
    Path dir;

    @Test
    void aPathClaimedInThisProcessIsRefusedWith75NamingThisProcessAndFreeAgainOnceReleased() throws Exception {
        Path pidFile = dir.resolve("app.pid");
        ClaimedPath first = ClaimedPath.claim(pidFile, "pid file", "berth.pid-file");
        assertThat(dir.resolve(".app.pid.lock")).exists();

        assertThatThrownBy(() -> ClaimedPath.claim(pidFile, "pid file", "berth.pid-file"))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.exitCode().code()).isEqualTo(75);
                    assertThat(e.description()).isEqualTo("another Berth in this process (pid " + ProcessHandle.current().pid()
                            + ") holds the pid file " + pidFile);
                });

        first.release();
        assertThat(dir.resolve(".app.pid.lock")).doesNotExist();
        ClaimedPath.claim(pidFile, "pid file", "berth.pid-file").release();
    }

    @Test
    void aFolderIsNeverVisibleUnderItsNameWithoutItsLockAndGoesWholeOnClose() throws Exception {
        LockedDirectory run = LockedDirectory.claim(dir, () -> "run-1-1");
        assertThat(run.path()).isEqualTo(dir.resolve("run-1-1"));
        assertThat(HeldLock.isHeldHere(run.path().resolve(".lock"))).isTrue();
        Files.createDirectories(run.path().resolve("war/WEB-INF"));

        assertThat(LockedDirectory.removeAbandoned(dir, name -> name.startsWith("run-"), lockless -> true)).isZero();
        assertThat(run.path().resolve("war/WEB-INF")).exists();

        run.close();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aNameAlreadyTakenMovesTheClaimToTheNextName() throws Exception {
        Files.createDirectories(dir.resolve("run-1-1/war"));
        List<String> names = List.of("run-1-1", "run-1-2");
        int[] next = {0};
        try (LockedDirectory run = LockedDirectory.claim(dir, () -> names.get(next[0]++))) {
            assertThat(run.path()).isEqualTo(dir.resolve("run-1-2"));
        }
        assertThat(dir.resolve("run-1-1/war")).exists();
    }

    @Test
    void leftoversOfInterruptedRemovalsGoAndSoDoFoldersWhoseLockNobodyHolds() throws Exception {
        Path gone = Files.createDirectories(dir.resolve(".berth-gone-run-7-1-abc/war"));
        Path unheld = Files.createDirectories(dir.resolve("run-7-2/war"));
        Files.createFile(unheld.getParent().resolve(".lock"));
        Path other = Files.createDirectories(dir.resolve("cache"));

        assertThat(LockedDirectory.removeAbandoned(dir, name -> name.startsWith("run-"), lockless -> false)).isEqualTo(2);

        assertThat(gone.getParent()).doesNotExist();
        assertThat(unheld.getParent()).doesNotExist();
        assertThat(other).exists();
    }

    @Test
    void aClaimCutShortByAKillGoesAtOnceWhileOneALiveProcessIsMakingIsLeftAlone() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path killed = Files.createDirectories(dir.resolve(".berth-claim-" + gone.pid() + "-123"));
        Files.createFile(killed.resolve(".lock"));
        Path making = Files.createDirectories(dir.resolve(".berth-claim-" + ProcessHandle.current().pid() + "-456"));

        assertThat(LockedDirectory.removeAbandoned(dir, name -> false, lockless -> false)).isEqualTo(1);

        assertThat(killed).doesNotExist();
        assertThat(making).exists();
    }

    @Test
    void aLockOnAFileNoLongerAtItsPathIsToldApartAndTheHolderWritesItsPid() throws Exception {
        Path file = dir.resolve("held.lock");
        try (HeldLock lock = HeldLock.tryLock(file, true).orElseThrow()) {
            assertThat(lock.isStillAtItsPath()).isTrue();
            assertThat(HeldLock.owner(file)).contains(ProcessHandle.current().pid());
            Files.delete(file);
            assertThat(lock.isStillAtItsPath()).isFalse();
            Files.writeString(file, ""); // another process's new lock file, not locked yet
            assertThat(lock.isStillAtItsPath()).isFalse();
        }
    }

    @Test
    void anUnreadableCorpseAtTheLockPathIsRefusedNotOpened() throws Exception {
        Path pidFile = dir.resolve("app.pid");
        Files.createDirectory(dir.resolve(".app.pid.lock"));
        assertThatThrownBy(() -> ClaimedPath.claim(pidFile, "pid file", "berth.pid-file"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.exitCode().code()).isEqualTo(73));
    }
}
