package dev.berth.sessions;

import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.util.ClassLoadingObjectInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The value stored for one session: a format byte, the expiry, the version, the rest of the metadata, then
 * the attributes as Jetty's own stores write them ({@link SessionData#serializeAttributes}).
 * <pre>
 * byte  format (2)
 * long  expiry            bytes 1..8, so GETRANGE 0 8 reads the expiry without the attributes
 * long  lastSaved         bytes 9..16: the version a save must find to replace this record
 * long  write             bytes 17..24: drawn at random for each save, so a save sent twice knows its own record
 * long  created, accessed, lastAccessed, cookieSet, maxInactiveMs
 * UTF   lastNode          "" for none
 * ...   attributes        Java serialization
 * </pre>
 * The session id, context path and virtual host are in the key, not repeated here. A deleted session's key
 * holds a one-byte tombstone ({@link #TOMBSTONE}) for a few minutes. Records of format 1 (the
 * same without the write, lastSaved after maxInactiveMs) are still read.
 */
final class SessionRecord {

    static final byte FORMAT = 2;
    /** A deleted session's key holds this one byte for a while: see {@code RedisSessionDataStore.DELETE}. */
    static final byte TOMBSTONE = 0;
    private static final byte FORMAT_1 = 1;
    /** Length of the head: the format byte and the expiry. */
    static final int HEAD = 1 + Long.BYTES;

    private SessionRecord() {
    }

    static byte[] encode(SessionData data, long write) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(FORMAT);
        out.writeLong(data.getExpiry());
        out.writeLong(data.getLastSaved());
        out.writeLong(write);
        out.writeLong(data.getCreated());
        out.writeLong(data.getAccessed());
        out.writeLong(data.getLastAccessed());
        out.writeLong(data.getCookieSet());
        out.writeLong(data.getMaxInactiveMs());
        out.writeUTF(Objects.requireNonNullElse(data.getLastNode(), ""));
        try (ObjectOutputStream attributes = new ObjectOutputStream(out)) {
            SessionData.serializeAttributes(data, attributes);
        }
        return bytes.toByteArray();
    }

    /**
     * Rebuilds a session for the store's context. Attribute classes are resolved through the thread's context
     * class loader, which Jetty sets to the web application's while it calls a store's {@code doLoad}.
     */
    static SessionData decode(byte[] record, String id, SessionDataStore store) throws IOException, ClassNotFoundException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(record));
        byte format = in.readByte();
        if (format != FORMAT && format != FORMAT_1) {
            throw new IOException("Session record format " + format + " is not known (expected " + FORMAT + ")");
        }
        long expiry = in.readLong();
        long lastSaved = format == FORMAT ? in.readLong() : 0;
        if (format == FORMAT) {
            in.readLong(); // the write that stored it
        }
        long created = in.readLong();
        long accessed = in.readLong();
        long lastAccessed = in.readLong();
        long cookieSet = in.readLong();
        long maxInactiveMs = in.readLong();
        if (format == FORMAT_1) {
            lastSaved = in.readLong();
        }
        String lastNode = in.readUTF();
        SessionData data = store.newSessionData(id, created, accessed, lastAccessed, maxInactiveMs);
        data.setExpiry(expiry);
        data.setCookieSet(cookieSet);
        data.setLastSaved(lastSaved);
        data.setLastNode(lastNode.isEmpty() ? null : lastNode);
        try (ObjectInputStream attributes = new ClassLoadingObjectInputStream(in)) {
            SessionData.deserializeAttributes(data, attributes);
        }
        return data;
    }

    static boolean isTombstone(byte[] record) {
        return record.length == 1 && record[0] == TOMBSTONE;
    }

    /** The expiry in a head read by GETRANGE 0 8; empty when the key is gone or holds something else. */
    static OptionalLong expiry(byte[] head) {
        if (head == null || head.length != HEAD || (head[0] != FORMAT && head[0] != FORMAT_1)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(ByteBuffer.wrap(head, 1, Long.BYTES).getLong());
    }
}
