package org.jmapi.store.provider;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.MapiStream;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A property stream of an SQLite store object (IStream from OpenProperty, R-PROP-6): a message's or attachment's
 * PR_BODY, PR_HTML, PR_ATTACH_DATA_BIN or any other PT_BINARY / PT_UNICODE / PT_STRING8 property, or a folder's or
 * the store's.
 *
 * <p><b>Reading</b> goes to the property's current value ({@link StreamContent}): an out-of-line value is read
 * from the store chunk by chunk starting at the seek pointer's chunk, so neither the value nor a database snapshot is
 * held. <b>Writing</b> is transacted: the first change copies the value into a private {@link ValueBuffer} (in memory
 * up to 64 KiB, in a temporary file beyond; file to file, never through the heap whole), {@link #commit} freezes it
 * and hands it to the object ({@link Owner#streamCommitted}), {@link #revert} and the final release without commit
 * discard it.
 *
 * <p><b>Lifetime.</b> Registered with its logon from creation (invalid after logoff, R-INV-2) and a dependent of its
 * object (invalid when the object is, e.g. after SubmitMessage, R-SUB-1); holds a reference on its object (a message,
 * an attachment, a folder; not the store) until its final release. <b>Threads:</b> thread-safe; calls are serialised on the stream.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
final class SqliteStream extends BaseMapiObject implements MapiStream {

    /** The object a stream was opened on. */
    interface Owner {
        /**
         * A stream's Commit: the property's new value.
         *
         * @param tag    the property
         * @param buffer the value in its stream form, frozen; the owner may keep it
         * @throws MapiException when the owner refuses the value (nothing changed then)
         */
        void streamCommitted(int tag, ValueBuffer buffer);

        /** @param stream a stream of this owner that was released or invalidated */
        void streamGone(SqliteStream stream);

        /**
         * @return the owner as a reference-counted object, AddRef'ed while the stream lives; null for the store
         *         itself, which its objects never keep alive (its last release ends the logon, R-SL-4)
         */
        BaseMapiObject object();
    }

    private final SqliteMsgStore store;
    private final Owner owner;
    private final int tag;
    private final boolean writable;
    /** The value the stream shows while it has no changes. */
    private StreamContent base;
    /** The changed value since open or the last commit, or null. */
    private ValueBuffer working;
    private long position;
    /** A reader of {@link #base} positioned at {@link #cursorPos}, or null. */
    private InputStream cursor;
    private long cursorPos;

    /**
     * @param store    the logon; the caller registers the stream with it
     * @param owner    the object the stream was opened on; AddRef'ed here
     * @param tag      the property
     * @param writable whether MAPI_MODIFY was granted
     * @param base     the property's current value
     * @param create   MAPI_CREATE: start from an empty value that a commit writes even without writes
     */
    SqliteStream(SqliteMsgStore store, Owner owner, int tag, boolean writable, StreamContent base, boolean create) {
        this.store = store;
        this.owner = owner;
        this.tag = tag;
        this.writable = writable;
        this.base = create ? StreamContent.EMPTY : base;
        if (this.base.buffer() != null) {
            this.base.buffer().retain();
        }
        if (create) {
            working = ValueBuffer.empty();
        }
        if (owner.object() != null) {
            owner.object().addRef();
        }
    }

    private org.jmapi.spi.LogonGate.Pass enter() {
        checkValid();
        return store.enterGate();
    }

    private void checkWritable() {
        if (!writable) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, "the stream of " + PropTag.toString(tag)
                    + " was opened read-only (open it with MAPI_MODIFY to write)");
        }
    }

    private static void checkRange(byte[] buffer, int offset, int length) {
        if (buffer == null || offset < 0 || length < 0 || offset > buffer.length - length) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "the buffer range is outside the buffer");
        }
    }

    private long size() {
        return working != null ? working.size() : base.size();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        try (var pass = enter()) {
            checkRange(buffer, offset, length);
            synchronized (this) {
                if (working != null) {
                    int n = working.read(position, buffer, offset, length);
                    position += n;
                    return n;
                }
                if (position >= base.size() || length == 0) {
                    return 0;
                }
                if (cursor == null || cursorPos != position) {
                    closeCursor();
                    cursor = base.open(position);
                    cursorPos = position;
                }
                int done = 0;
                try {
                    while (done < length) {
                        int n = cursor.read(buffer, offset + done, length - done);
                        if (n < 0) {
                            break;
                        }
                        done += n;
                    }
                } catch (IOException e) {
                    closeCursor();
                    throw readFailure(e);
                }
                position += done;
                cursorPos = position;
                return done;
            }
        }
    }

    private MapiException readFailure(IOException e) {
        if (e.getCause() instanceof MapiException m) {
            return new MapiException(m.hresult(), "reading " + PropTag.toString(tag) + ": " + m.getMessage(), e);
        }
        return new MapiException(HResult.MAPI_E_OBJECT_DELETED, "reading " + PropTag.toString(tag) + " failed: "
                + e.getMessage(), e);
    }

    @Override
    public int write(byte[] buffer, int offset, int length) {
        try (var pass = enter()) {
            checkWritable();
            checkRange(buffer, offset, length);
            synchronized (this) {
                ensureWorking();
                working.write(position, buffer, offset, length);
                position += length;
                return length;
            }
        }
    }

    /** Starts a change: a private copy of the current value (copy-on-write). */
    private void ensureWorking() {
        if (working != null) {
            return;
        }
        ValueBuffer frozen = base.buffer();
        if (frozen != null) {
            working = frozen.copy();
            return;
        }
        ValueBuffer b = ValueBuffer.empty();
        byte[] piece = new byte[64 * 1024];
        try (InputStream in = base.open(0)) {
            long at = 0;
            for (int n; (n = in.read(piece)) > 0; ) {
                b.write(at, piece, 0, n);
                at += n;
            }
        } catch (IOException e) {
            b.release();
            throw readFailure(e);
        } catch (RuntimeException e) {
            b.release();
            throw e;
        }
        working = b;
    }

    @Override
    public long seek(long move, int origin) {
        try (var pass = enter()) {
            synchronized (this) {
                long from = switch (origin) {
                    case Flags.STREAM_SEEK_SET -> 0;
                    case Flags.STREAM_SEEK_CUR -> position;
                    case Flags.STREAM_SEEK_END -> size();
                    default -> throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "Seek: the origin must be"
                            + " STREAM_SEEK_SET (0), STREAM_SEEK_CUR (1) or STREAM_SEEK_END (2), got " + origin);
                };
                long to;
                try {
                    to = Math.addExact(from, move);
                } catch (ArithmeticException e) {
                    throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "Seek: the position overflows");
                }
                if (to < 0) {
                    throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "Seek: position " + to
                            + " is before the start of the stream");
                }
                position = to;
                return to;
            }
        }
    }

    @Override
    public void setSize(long newSize) {
        try (var pass = enter()) {
            checkWritable();
            if (newSize < 0) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "SetSize: negative size " + newSize);
            }
            synchronized (this) {
                ensureWorking();
                working.setSize(newSize);
            }
        }
    }

    @Override
    public void commit(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.STGC_OVERWRITE | Flags.STGC_ONLYIFCURRENT
                    | Flags.STGC_DANGEROUSLYCOMMITMERELYTODISKCACHE, "IStream::Commit");
            synchronized (this) {
                if (working == null) {
                    return;
                }
                checkWritable();
                if (PropTag.type(tag) == PropType.PT_UNICODE && (working.size() & 1) != 0) {
                    throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "Commit: the stream of "
                            + PropTag.toString(tag) + " has " + working.size() + " bytes; a PT_UNICODE stream holds"
                            + " UTF-16LE code units (an even count)");
                }
                ValueBuffer committed = working;
                committed.freeze();
                try {
                    owner.streamCommitted(tag, committed);
                } catch (RuntimeException e) {
                    committed.thaw();
                    throw e;
                }
                working = null;
                dropBase();
                base = StreamContent.of(committed); // the stream keeps the holder it had as the buffer's writer
                closeCursor();
            }
        }
    }

    @Override
    public void revert() {
        try (var pass = enter()) {
            synchronized (this) {
                dropWorking();
            }
        }
    }

    @Override
    public Stat stat() {
        try (var pass = enter()) {
            synchronized (this) {
                return new Stat(tag, size(), (writable ? Flags.STGM_READWRITE : Flags.STGM_READ)
                        | Flags.STGM_TRANSACTED);
            }
        }
    }

    @Override
    public long copyTo(MapiStream destination, long count) {
        Objects.requireNonNull(destination, "destination");
        if (destination == this) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "IStream::CopyTo: a stream cannot copy to itself");
        }
        return MapiStream.super.copyTo(destination, count);
    }

    private void dropWorking() {
        if (working != null) {
            working.release();
            working = null;
        }
        closeCursor();
    }

    /** Gives back the stream's holder of its base buffer, if the base is one. */
    private void dropBase() {
        if (base.buffer() != null) {
            base.buffer().release();
        }
        base = StreamContent.EMPTY;
    }

    private void closeCursor() {
        if (cursor != null) {
            try {
                cursor.close();
            } catch (IOException ignored) {
                // a chunk reader holds nothing that closing could fail to give back
            }
            cursor = null;
        }
    }

    /** @return the property this stream shows */
    int tag() {
        return tag;
    }

    @Override
    protected synchronized void onInvalidate() {
        dropWorking();
        dropBase();
        owner.streamGone(this);
    }

    @Override
    protected void onFinalRelease() {
        store.untrack(this);
        synchronized (this) {
            dropWorking();
            dropBase();
        }
        owner.streamGone(this);
        if (owner.object() != null) {
            owner.object().release();
        }
    }

    @Override
    protected String describe() {
        return "SQLite stream of " + PropTag.toString(tag);
    }
}
