package org.jmapi.store.provider;

import org.jmapi.HResult;
import org.jmapi.MapiException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bytes of one property value that a {@link SqliteStream} is writing, or that a stream committed and an object
 * holds until it is saved: in memory up to {@value #MEMORY_LIMIT} bytes, in a temporary file beyond, so a value of
 * any size is written and saved without being in the heap whole.
 *
 * <p><b>States.</b> A buffer is mutable until {@link #freeze()}; a frozen buffer is immutable and may be shared by
 * any number of readers ({@link #open}) and holders (a stream's base, a message's or attachment's working state, an
 * attachment's state inside its message). A mutable buffer has one owner.
 *
 * <p><b>Holders.</b> A buffer counts its holders: it starts with one (its creator), {@link #retain()} adds one,
 * {@link #release()} gives one back, and the last release deletes the temporary file at once.
 *
 * <p><b>Temporary files</b> live in {@code java.io.tmpdir} ({@code jmapi-value-*.tmp}). Besides the last release, a
 * {@link Cleaner} deletes the file of a buffer the garbage collector found unreachable (a holder that forgot to
 * release), and a shutdown hook deletes the files still present when the JVM exits normally; a process killed with
 * {@code kill -9} leaves them behind.
 *
 * <p><b>Threads:</b> thread-safe; positional file reads let several readers of a frozen buffer proceed at once.
 */
final class ValueBuffer {
    /** Values up to this size stay in memory. */
    static final int MEMORY_LIMIT = 64 * 1024;
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "jmapi-value-buffer-cleaner");
        t.setDaemon(true);
        return t;
    });
    /** The temporary files not deleted yet, for the shutdown hook. */
    private static final Set<FileState> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(LIVE).forEach(FileState::run),
                "jmapi-value-buffer-exit"));
    }

    /** Deletes a buffer's temporary file; holds no reference to the buffer. */
    private static final class FileState implements Runnable {
        private final Path path;
        private final FileChannel channel;

        FileState(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }

        @Override
        public void run() {
            LIVE.remove(this);
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a channel whose file is about to be deleted: nothing to save
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // the temporary directory refuses: the file stays, as after a crash
            }
        }
    }

    private byte[] memory = new byte[0];
    private FileState file;
    private Cleaner.Cleanable cleanable;
    private long size;
    private boolean frozen;
    private boolean discarded;
    /** Holders; the file goes when it reaches 0. Guarded by {@code this}. */
    private int holders = 1;

    /** @return a new, empty, mutable buffer */
    static ValueBuffer empty() {
        return new ValueBuffer();
    }

    /**
     * @param bytes the content; copied
     * @return a frozen buffer holding {@code bytes}
     */
    static ValueBuffer frozenOf(byte[] bytes) {
        ValueBuffer b = new ValueBuffer();
        b.memory = bytes.clone();
        b.size = bytes.length;
        b.frozen = true;
        return b;
    }

    private ValueBuffer() {
    }

    /** @return the size in bytes */
    synchronized long size() {
        return size;
    }

    /** @return whether the bytes are in a temporary file */
    synchronized boolean onDisk() {
        return file != null;
    }

    /** @return whether {@link #freeze()} ran */
    synchronized boolean isFrozen() {
        return frozen;
    }

    /**
     * Reads at a position.
     *
     * @return the bytes read; 0 at or past the end
     */
    synchronized int read(long pos, byte[] b, int off, int len) {
        checkUsable();
        if (pos >= size || len == 0) {
            return 0;
        }
        int n = (int) Math.min(len, size - pos);
        if (file == null) {
            System.arraycopy(memory, (int) pos, b, off, n);
            return n;
        }
        ByteBuffer bb = ByteBuffer.wrap(b, off, n);
        try {
            while (bb.hasRemaining()) {
                int r = file.channel.read(bb, pos + bb.position() - off);
                if (r < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw diskError("reading", e);
        }
        return bb.position() - off;
    }

    /** Writes at a position, extending the buffer (with zeros in any gap). */
    synchronized void write(long pos, byte[] b, int off, int len) {
        checkMutable();
        if (len == 0) {
            return;
        }
        long end = pos + len;
        if (file == null && end <= MEMORY_LIMIT) {
            if (end > memory.length) {
                memory = Arrays.copyOf(memory, (int) Math.max(end, Math.min(MEMORY_LIMIT, 2L * memory.length)));
            }
            if (pos > size) {
                Arrays.fill(memory, (int) size, (int) pos, (byte) 0);
            }
            System.arraycopy(b, off, memory, (int) pos, len);
            size = Math.max(size, end);
            return;
        }
        spill();
        try {
            if (pos > size) {
                // FileChannel leaves the gap unspecified; write the zeros
                zeroFill(size, pos);
            }
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            while (bb.hasRemaining()) {
                file.channel.write(bb, pos + bb.position() - off);
            }
        } catch (IOException e) {
            throw diskError("writing", e);
        }
        size = Math.max(size, end);
    }

    /** Truncates or extends (with zeros). */
    synchronized void setSize(long newSize) {
        checkMutable();
        if (newSize < 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "a stream's size cannot be negative: " + newSize);
        }
        if (file == null && newSize <= MEMORY_LIMIT) {
            if (newSize > memory.length) {
                memory = Arrays.copyOf(memory, (int) newSize);
            }
            if (newSize > size) {
                Arrays.fill(memory, (int) size, (int) newSize, (byte) 0);
            }
            size = newSize;
            return;
        }
        spill();
        try {
            if (newSize < size) {
                file.channel.truncate(newSize);
            } else if (newSize > size) {
                zeroFill(size, newSize);
            }
        } catch (IOException e) {
            throw diskError("resizing", e);
        }
        size = newSize;
    }

    private void zeroFill(long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(to - from, 64 * 1024));
        for (long p = from; p < to; ) {
            zeros.clear();
            zeros.limit((int) Math.min(zeros.capacity(), to - p));
            p += file.channel.write(zeros, p);
        }
    }

    /** Moves the bytes from memory into a new temporary file. */
    private void spill() {
        if (file != null) {
            return;
        }
        try {
            Path path = Files.createTempFile("jmapi-value-", ".tmp");
            FileChannel channel;
            try {
                channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                Files.deleteIfExists(path);
                throw e;
            }
            file = new FileState(path, channel);
            LIVE.add(file);
            cleanable = CLEANER.register(this, file);
            ByteBuffer bb = ByteBuffer.wrap(memory, 0, (int) size);
            while (bb.hasRemaining()) {
                channel.write(bb, bb.position());
            }
            memory = new byte[0];
        } catch (IOException e) {
            throw diskError("creating a temporary file for", e);
        }
    }

    /** Makes the buffer immutable: from now on it may be shared. */
    synchronized void freeze() {
        checkUsable();
        frozen = true;
        if (file == null && memory.length != size) {
            memory = Arrays.copyOf(memory, (int) size);
        }
    }

    /** Undoes {@link #freeze()} for a buffer that was frozen for a handover that failed (nobody else holds it). */
    synchronized void thaw() {
        frozen = false;
    }

    /** @return a new mutable buffer with the same bytes (file to file, never through the heap whole) */
    ValueBuffer copy() {
        ValueBuffer c = new ValueBuffer();
        synchronized (this) {
            checkUsable();
            if (file == null) {
                c.memory = Arrays.copyOf(memory, (int) size);
                c.size = size;
                return c;
            }
            c.spill();
            try {
                long done = 0;
                while (done < size) {
                    done += file.channel.transferTo(done, size - done, c.file.channel);
                }
            } catch (IOException e) {
                c.discard();
                throw diskError("copying", e);
            }
            c.size = size;
        }
        return c;
    }

    /**
     * @return the bytes, for a buffer small enough to hold in memory
     * @throws MapiException MAPI_E_NOT_ENOUGH_MEMORY beyond {@code limit}
     */
    synchronized byte[] bytes(long limit) {
        checkUsable();
        if (size > limit) {
            throw new MapiException(HResult.MAPI_E_NOT_ENOUGH_MEMORY, "the value has " + size
                    + " bytes, more than the " + limit + " that are handed out whole; open it as a stream");
        }
        byte[] out = new byte[(int) size];
        read(0, out, 0, out.length);
        return out;
    }

    /**
     * @param offset the first byte
     * @return a stream of the bytes from {@code offset} on; it keeps this buffer alive while open
     */
    InputStream open(long offset) {
        ValueBuffer self = this;
        return new InputStream() {
            private long pos = offset;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                int n;
                try {
                    n = self.read(pos, b, off, len);
                } catch (MapiException e) {
                    throw new IOException(e.getMessage(), e);
                }
                if (n == 0) {
                    return -1;
                }
                pos += n;
                return n;
            }
        };
    }

    /**
     * Adds a holder.
     *
     * @return this buffer
     */
    synchronized ValueBuffer retain() {
        checkUsable();
        holders++;
        return this;
    }

    /** Gives a holder back; the last one deletes the temporary file. Releasing a discarded buffer does nothing. */
    synchronized void release() {
        if (discarded) {
            return;
        }
        if (--holders <= 0) {
            discard();
        }
    }

    /** @return the holders now (tests, diagnostics) */
    synchronized int holders() {
        return discarded ? 0 : holders;
    }

    /** @return the temporary file, or null while the bytes are in memory (tests, diagnostics) */
    synchronized Path path() {
        return file == null ? null : file.path;
    }

    /** Deletes the temporary file now, whatever the holders; the buffer is unusable afterwards. */
    synchronized void discard() {
        discarded = true;
        memory = new byte[0];
        if (cleanable != null) {
            cleanable.clean();
            cleanable = null;
        }
    }

    private void checkUsable() {
        if (discarded) {
            throw new MapiException(HResult.MAPI_E_INVALID_OBJECT, "the stream's buffer was discarded");
        }
    }

    private void checkMutable() {
        checkUsable();
        if (frozen) {
            throw new IllegalStateException("a committed value buffer is immutable");
        }
    }

    private static MapiException diskError(String what, IOException e) {
        String m = String.valueOf(e.getMessage());
        boolean full = m.contains("No space left") || m.contains("not enough space") || m.contains("quota");
        return new MapiException(full ? HResult.MAPI_E_NOT_ENOUGH_DISK : HResult.MAPI_E_DISK_ERROR, what + " a stream's temporary file failed: "
                + e.getMessage() + " (check the space and rights of java.io.tmpdir)", e);
    }
}
