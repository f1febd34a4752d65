package dev.berth.sessions;

import org.eclipse.jetty.session.FileSessionDataStore;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.UnreadableSessionDataException;
import org.eclipse.jetty.session.UnwriteableSessionDataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Jetty's file store, made to survive a kill -9. Jetty deletes a session's file and then writes the new one in
 * place, so a process killed in between loses the session, or leaves half a file that the next start cannot
 * read (and, with {@code deleteUnrestorableFiles}, deletes: the user is logged out). Here a session is written
 * to a temporary file in {@code writing/} (a folder, so Jetty's scan of the store never takes it for a
 * session), flushed to disk and moved over its name in one step; the previous file goes only after. A file
 * that still cannot be read (a class the WAR no longer has) is moved to {@code unreadable/} with a warning
 * naming it, never deleted.
 */
final class AtomicFileSessionDataStore extends FileSessionDataStore {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFileSessionDataStore.class);
    static final String WRITING = "writing";
    static final String UNREADABLE = "unreadable";

    AtomicFileSessionDataStore() {
        setDeleteUnrestorableFiles(false);
    }

    @Override
    public void initializeStore() throws Exception {
        super.initializeStore();
        // what a killed write left: never a session (it was not moved into place)
        Path writing = _storeDir.toPath().resolve(WRITING);
        if (Files.isDirectory(writing)) {
            try (var leftovers = Files.list(writing)) {
                for (Path leftover : leftovers.toList()) {
                    Files.deleteIfExists(leftover);
                }
            }
        }
    }

    @Override
    public void doStore(String id, SessionData data, long lastSaveTime) throws Exception {
        if (_storeDir == null) {
            return;
        }
        String filename = getIdWithContextAndExpiry(data);
        Path store = _storeDir.toPath();
        Path temporary = Files.createTempFile(Files.createDirectories(store.resolve(WRITING)), "session", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                save(new KeptOpen(Channels.newOutputStream(channel)), id, data);
                channel.force(true);
            }
            Files.move(temporary, store.resolve(filename), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception e) {
            Files.deleteIfExists(temporary);
            throw new UnwriteableSessionDataException(id, _context, e);
        }
        String previous = _sessionFileMap.put(getIdWithContext(id), filename);
        if (previous != null && !previous.equals(filename)) {
            Files.deleteIfExists(store.resolve(previous));
        }
    }

    @Override
    public SessionData doLoad(String id) throws Exception {
        try {
            return super.doLoad(id);
        } catch (UnreadableSessionDataException unreadable) {
            moveAside(id);
            throw unreadable;
        }
    }

    /** Jetty's {@code save} closes the stream it is given; the file must stay open until it is on disk. */
    private static final class KeptOpen extends FilterOutputStream {
        KeptOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private void moveAside(String id) {
        String filename = _sessionFileMap.remove(getIdWithContext(id));
        if (filename == null) {
            return;
        }
        Path file = _storeDir.toPath().resolve(filename);
        try {
            Path aside = Files.createDirectories(_storeDir.toPath().resolve(UNREADABLE)).resolve(filename);
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("Moved the session file {} that cannot be read back to {}; the session starts anew", file, aside);
        } catch (Exception e) {
            LOG.warn("Could not move the unreadable session file {} aside: {}", file, e.toString());
        }
    }
}
