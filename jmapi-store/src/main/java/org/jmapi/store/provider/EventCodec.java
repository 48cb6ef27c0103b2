package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.Notification;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a notification in the store's event log ({@link org.jmapi.store.Storage#publishEvents}): object
 * notifications (fnevObjectCreated / Deleted / Modified / Moved / Copied) and new-mail notifications, with long-term
 * entry ids, which are the same in every process (R-NTF-4). Format version 1: a version byte, a kind byte, then the
 * fields as {@link DataOutputStream} writes them, entry ids and strings length-prefixed (-1 for null). Stateless.
 */
final class EventCodec {
    private static final int VERSION = 1;
    private static final int OBJECT = 1;
    private static final int NEW_MAIL = 2;

    private EventCodec() {}

    /**
     * @param n a notification
     * @return its bytes, or null for a kind that is not shared between processes (table, error, extended, status)
     */
    static byte[] encode(Notification n) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.writeByte(VERSION);
            if (n instanceof Notification.ObjectEvent o) {
                out.writeByte(OBJECT);
                out.writeInt(o.eventType());
                out.writeInt(o.objectType());
                writeId(out, o.entryId());
                writeId(out, o.parentId());
                writeId(out, o.oldId());
                writeId(out, o.oldParentId());
                out.writeInt(o.propTags().size());
                for (int t : o.propTags()) {
                    out.writeInt(t);
                }
            } else if (n instanceof Notification.NewMail m) {
                out.writeByte(NEW_MAIL);
                writeId(out, m.entryId());
                writeId(out, m.parentId());
                out.writeInt(m.flags());
                writeString(out, m.messageClass());
                out.writeInt(m.messageFlags());
            } else {
                return null;
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return buf.toByteArray();
    }

    /**
     * @param bytes what {@link #encode} wrote
     * @return the notification
     * @throws MapiException MAPI_E_CORRUPT_DATA for bytes this version cannot read
     */
    static Notification decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new MapiException(HResult.MAPI_E_CORRUPT_DATA, "event log entry of unknown format " + version);
            }
            int kind = in.readUnsignedByte();
            if (kind == OBJECT) {
                int event = in.readInt();
                int type = in.readInt();
                EntryId id = readId(in);
                EntryId parent = readId(in);
                EntryId oldId = readId(in);
                EntryId oldParent = readId(in);
                int n = in.readInt();
                if (n < 0 || n > 4096) {
                    throw new IOException("bad tag count " + n);
                }
                List<Integer> tags = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    tags.add(in.readInt());
                }
                return new Notification.ObjectEvent(event, id, type, parent, oldId, oldParent, tags);
            }
            if (kind == NEW_MAIL) {
                EntryId id = readId(in);
                EntryId parent = readId(in);
                int flags = in.readInt();
                String cls = readString(in);
                return new Notification.NewMail(id, parent, flags, cls, in.readInt());
            }
            throw new IOException("unknown kind " + kind);
        } catch (IOException e) {
            throw new MapiException(HResult.MAPI_E_CORRUPT_DATA, "an event log entry cannot be read: "
                    + e.getMessage(), e);
        }
    }

    private static void writeId(DataOutputStream out, EntryId id) throws IOException {
        if (id == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = id.toBytes();
        out.writeInt(b.length);
        out.write(b);
    }

    private static EntryId readId(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        if (n > 65_536) {
            throw new IOException("entry id of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return EntryId.of(b);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        if (n > 65_536) {
            throw new IOException("string of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
