package dev.berth.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Server binaries installed from the build's artifacts: extracted as tar would, and made once for all JVMs. */
class ServerInstallTest {

    @TempDir
    Path dir;

    @Test
    void aTxzKeepsItsExecutablesAndLinksAndNoOneElseMayWriteWhatItHolds() throws IOException {
        Path archive = txz(dir.resolve("server.txz"), file("bin/server", 0775, "#!/bin/sh\n"), file("lib/libserver.so.1", 0666, "elf"),
                link("lib/libserver.so", "libserver.so.1"));
        Path into = Files.createDirectory(dir.resolve("into"));

        TarXz.extract(archive, into);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(into.resolve("bin/server")))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(into.resolve("lib/libserver.so.1")))).isEqualTo("rw-r--r--");
        assertThat(Files.readSymbolicLink(into.resolve("lib/libserver.so"))).isEqualTo(Path.of("libserver.so.1"));
        assertThat(into.resolve("lib/libserver.so")).hasContent("elf");
    }

    @Test
    void anEntryOrALinkThatLeadsOutOfTheDirectoryIsRefused() throws IOException {
        Path climbing = txz(dir.resolve("climbing.txz"), file("../outside", 0644, "x"));
        Path linking = txz(dir.resolve("linking.txz"), link("lib/passwd", "../../etc/passwd"));
        Path into = Files.createDirectory(dir.resolve("into"));

        assertThatThrownBy(() -> TarXz.extract(climbing, into)).isInstanceOf(IOException.class).hasMessageContaining("../outside");
        assertThatThrownBy(() -> TarXz.extract(linking, into)).isInstanceOf(IOException.class).hasMessageContaining("lib/passwd");
        assertThat(dir.resolve("outside")).doesNotExist();
        assertThat(into.resolve("lib/passwd")).doesNotExist();
    }

    @Test
    void twoJvmsInstallingTheSameArtifactAtOnceBothGetOneCompleteTreeAndLeaveNoStagingBehind() throws Exception {
        // unique content, so a key of its own under the shared root
        Path artifact = Files.writeString(dir.resolve("artifact"), UUID.randomUUID().toString());
        CyclicBarrier bothUnpacking = new CyclicBarrier(2);
        ServerInstall.Unpacking unpacking = (from, into) -> {
            await(bothUnpacking);
            Files.copy(from, into.resolve("server"));
        };

        CompletableFuture<Path> first = CompletableFuture.supplyAsync(() -> install(artifact, unpacking));
        CompletableFuture<Path> second = CompletableFuture.supplyAsync(() -> install(artifact, unpacking));
        Path home = first.get(30, TimeUnit.SECONDS);
        try {
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(home);
            assertThat(home.resolve("server")).hasSameTextualContentAs(artifact);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwxr-xr-x");
            try (Stream<Path> siblings = Files.list(home.getParent())) {
                assertThat(siblings.map(path -> path.getFileName().toString()))
                        .filteredOn(name -> name.contains(home.getFileName().toString())).containsExactly(home.getFileName().toString());
            }
            assertThat(install(artifact, (from, into) -> {
                throw new AssertionError("installed again");
            })).isEqualTo(home);
        } finally {
            PathUtils.deleteDirectory(home);
        }
    }

    private static Path install(Path artifact, ServerInstall.Unpacking unpacking) {
        try {
            return ServerInstall.of("install-test", artifact, unpacking);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CyclicBarrier barrier) throws IOException {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private record Entry(TarArchiveEntry header, byte[] content) {
    }

    private static Entry file(String name, int mode, String content) {
        TarArchiveEntry header = new TarArchiveEntry(name, true);
        header.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        header.setSize(bytes.length);
        return new Entry(header, bytes);
    }

    private static Entry link(String name, String target) {
        TarArchiveEntry header = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
        header.setLinkName(target);
        return new Entry(header, new byte[0]);
    }

    private static Path txz(Path archive, Entry... entries) throws IOException {
        try (OutputStream file = Files.newOutputStream(archive);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZCompressorOutputStream(file))) {
            for (Entry entry : List.of(entries)) {
                tar.putArchiveEntry(entry.header());
                tar.write(entry.content());
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }
}
