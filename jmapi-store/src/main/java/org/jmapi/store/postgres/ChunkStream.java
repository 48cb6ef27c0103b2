package org.jmapi.store.postgres;

import org.jmapi.MapiException;
import org.jmapi.prop.PropTag;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an out-of-line value chunk by chunk, each chunk in its own short read transaction, so neither the value nor
 * a database snapshot is held while the caller reads. Values are never changed in place (a save writes a new value
 * and deletes the old one), so a chunk that has vanished means the value was replaced or its message deleted: the
 * read then fails with an IOException saying so. Owned by the caller; not thread-safe (one reader at a time, as for
 * any InputStream). Closing is idempotent.
 */
final class ChunkStream extends InputStream {
    private final Db db;
    private final long valueId;
    private final long size;
    private final int tag;
    private long position;
    private int seq;
    private byte[] chunk = new byte[0];
    private int offset;
    private boolean closed;

    ChunkStream(Db db, long valueId, long size, int tag) {
        this.db = db;
        this.valueId = valueId;
        this.size = size;
        this.tag = tag;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream of " + PropTag.toString(tag) + " is closed");
        }
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (offset >= chunk.length) {
            if (position >= size) {
                return -1;
            }
            fetch();
        }
        int n = Math.min(len, chunk.length - offset);
        System.arraycopy(chunk, offset, b, off, n);
        offset += n;
        position += n;
        return n;
    }

    private void fetch() throws IOException {
        byte[] next;
        try {
            next = db.readOne("reading " + PropTag.toString(tag), c -> Sql.one(c, "SELECT data FROM jmapi.large_chunk "
                    + "WHERE store_id = ? AND value_id = ? AND seq = ?", rs -> rs.getBytes(1), db.storeId(), valueId,
                    seq).orElse(null));
        } catch (MapiException e) {
            throw new IOException("reading " + PropTag.toString(tag) + " failed: " + e.getMessage(), e);
        }
        if (next == null || next.length == 0) {
            throw new IOException("the value of " + PropTag.toString(tag) + " was replaced or its message deleted"
                    + " while it was being read (" + position + " of " + size + " bytes read)");
        }
        seq++;
        chunk = next;
        offset = 0;
    }

    @Override
    public int available() {
        return chunk.length - offset;
    }

    @Override
    public void close() {
        closed = true;
        chunk = new byte[0];
    }
}
