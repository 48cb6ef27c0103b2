package org.jmapi.store.engine;

import org.jmapi.MapiException;
import org.jmapi.prop.PropTag;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an out-of-line value chunk by chunk, each chunk fetched by its own short read of the engine
 * ({@link Chunks}), so neither the value nor a database snapshot is held while the caller reads. Shared by the SQLite
 * and PostgreSQL engines. Values are never changed in place (a save writes a new value
 * and deletes the old one), so a chunk that has vanished means the value was replaced or its message deleted: the
 * read then fails with an IOException saying so. Owned by the caller; not thread-safe (one reader at a time, as for
 * any InputStream). Closing is idempotent.
 */
public final class ChunkStream extends InputStream {
    /** Fetches one chunk of the value; the engine's part. */
    @FunctionalInterface
    public interface Chunks {
        /**
         * @param seq the chunk's sequence number, from 0
         * @return its bytes, or null when the value has no such chunk (any more)
         * @throws MapiException when the read fails
         */
        byte[] chunk(int seq);
    }

    private final Chunks chunks;
    private final long size;
    private final int tag;
    private long position;
    private int seq;
    private byte[] chunk = new byte[0];
    private int offset;
    /** Bytes to drop from the front of the next chunk fetched (a stream opened at an offset inside a chunk). */
    private int skipInChunk;
    private boolean closed;

    /**
     * A stream of the whole value.
     *
     * @param chunks fetches the value's chunks
     * @param size   the value's size in bytes
     * @param tag    its property tag, for messages
     */
    public ChunkStream(Chunks chunks, long size, int tag) {
        this(chunks, size, tag, 0, 0, 0);
    }

    /**
     * A stream starting inside the value.
     *
     * @param chunks      fetches the value's chunks
     * @param size        the value's size in bytes
     * @param tag         its property tag, for messages
     * @param firstSeq    the chunk holding the first byte to read
     * @param chunkStart  the value offset of that chunk's first byte
     * @param skipInChunk how many bytes of that chunk come before the first byte to read
     */
    public ChunkStream(Chunks chunks, long size, int tag, int firstSeq, long chunkStart, int skipInChunk) {
        this.chunks = chunks;
        this.size = size;
        this.tag = tag;
        this.seq = firstSeq;
        this.position = chunkStart + skipInChunk;
        this.skipInChunk = skipInChunk;
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
            next = chunks.chunk(seq);
        } catch (MapiException e) {
            throw new IOException("reading " + PropTag.toString(tag) + " failed: " + e.getMessage(), e);
        }
        if (next == null || next.length == 0) {
            throw new IOException("the value of " + PropTag.toString(tag) + " was replaced or its message deleted"
                    + " while it was being read (" + position + " of " + size + " bytes read)");
        }
        if (skipInChunk >= next.length) {
            throw new IOException("the value of " + PropTag.toString(tag) + " was replaced or its message deleted"
                    + " while it was being read (chunk " + seq + " is shorter than before)");
        }
        seq++;
        chunk = next;
        offset = skipInChunk;
        skipInChunk = 0;
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
