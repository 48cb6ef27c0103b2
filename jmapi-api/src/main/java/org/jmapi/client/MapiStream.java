package org.jmapi.client;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * IStream as MAPI hands it out from {@code MapiProp.openProperty} (R-PROP-6): one property's value as a seekable
 * byte stream, so that a large value (PR_BODY, PR_HTML, PR_ATTACH_DATA_BIN, ...) is read and written piece by piece
 * and never has to be in memory whole.
 *
 * <p><b>Bytes.</b> The stream holds the value's stream form: PT_BINARY the raw bytes, PT_UNICODE UTF-16LE code units
 * without a terminator, PT_STRING8 UTF-8 bytes.
 *
 * <p><b>Transactions.</b> Property streams are transacted (STGM_TRANSACTED): writes and {@link #setSize} change the
 * stream only; {@link #commit} hands the new value to the object the stream was opened on, and {@link #revert}
 * throws the changes away. A transacted object (a message, an attachment) then holds the value in its working state
 * until its own {@code saveChanges}; a folder or store takes it at once. Releasing a stream with uncommitted changes
 * discards them. {@link #asOutputStream()} commits when it is closed.
 *
 * <p><b>Ownership.</b> {@code openProperty} hands the caller one reference (R-REF-1); release it when done (the
 * stream keeps its message, attachment or folder alive meanwhile). The adapters returned by {@link #asInputStream()} and
 * {@link #asOutputStream()} borrow this stream: closing them does not release it.
 *
 * <p><b>After logoff.</b> A stream is an object of its logon: after the logon was logged off (and after its message
 * was submitted, R-SUB-1) every method except {@code addRef}, {@code release}, {@code close} and
 * {@code queryInterface} throws MAPI_E_INVALID_OBJECT (R-INV-2).
 *
 * <p><b>Threads.</b> Implementations are safe from several threads; the seek pointer is shared, so concurrent
 * readers must synchronise themselves.
 */
public interface MapiStream extends MapiObject {

    /**
     * IStream::Read: copies bytes from the seek pointer on and advances it.
     *
     * @param buffer where to put them
     * @param offset the first index of {@code buffer} to fill
     * @param length how many bytes at most
     * @return how many bytes were read: fewer than {@code length} only at the end of the stream, 0 there
     * @throws MapiException MAPI_E_INVALID_PARAMETER for a null buffer or a range outside it;
     *                       MAPI_E_OBJECT_DELETED when the stored value was deleted (its message deleted or saved
     *                       with another value by someone else) while it was being read
     */
    int read(byte[] buffer, int offset, int length);

    /**
     * IStream::Write: writes bytes at the seek pointer (extending the stream, with zeros in any gap a seek past
     * the end left) and advances it.
     *
     * @param buffer the bytes
     * @param offset the first index of {@code buffer} to write
     * @param length how many bytes
     * @return {@code length}
     * @throws MapiException MAPI_E_NO_ACCESS on a stream opened without MAPI_MODIFY;
     *                       MAPI_E_INVALID_PARAMETER for a null buffer or a range outside it;
     *                       MAPI_E_NOT_ENOUGH_DISK when the temporary space for the new value is full
     */
    int write(byte[] buffer, int offset, int length);

    /**
     * IStream::Seek.
     *
     * @param move   the displacement
     * @param origin {@link Flags#STREAM_SEEK_SET}, {@link Flags#STREAM_SEEK_CUR} or {@link Flags#STREAM_SEEK_END}
     * @return the new position of the seek pointer; positions past the end are allowed
     * @throws MapiException MAPI_E_INVALID_PARAMETER for another origin or a position before the start (the pointer
     *                       does not move then)
     */
    long seek(long move, int origin);

    /**
     * IStream::SetSize: truncates or extends (with zeros) the stream; the seek pointer does not move.
     *
     * @param newSize the new size in bytes
     * @throws MapiException MAPI_E_NO_ACCESS on a read-only stream; MAPI_E_INVALID_PARAMETER for a negative size
     */
    void setSize(long newSize);

    /**
     * IStream::Commit: hands the stream's current content to its object as the property's new value. Nothing
     * happens when nothing was written since the last commit.
     *
     * @param flags {@link Flags#STGC_DEFAULT} or other STGC_* bits (accepted; a property stream has one meaning of
     *              commit)
     * @throws MapiException MAPI_E_NO_ACCESS on a read-only stream with changes (it has none: read-only streams
     *                       commit nothing); MAPI_E_INVALID_PARAMETER for a PT_UNICODE stream of an odd length;
     *                       MAPI_E_UNKNOWN_FLAGS; the object's own errors (MAPI_E_OBJECT_DELETED for a deleted
     *                       folder, MAPI_E_NO_ACCESS when the object was made read-only meanwhile); on an error the
     *                       changes stay in the stream
     */
    void commit(int flags);

    /**
     * IStream::Revert: discards the changes made since the stream was opened or last committed; the seek pointer
     * does not move.
     */
    void revert();

    /**
     * IStream::Stat.
     *
     * @return the property, the size and the access mode
     */
    Stat stat();

    /**
     * IStream::CopyTo: copies bytes from this stream's seek pointer to {@code destination}'s, advancing both, in
     * pieces (never the whole value in memory).
     *
     * @param destination where to write; must be writable
     * @param count       how many bytes at most
     * @return the bytes read from this stream and written to {@code destination}
     * @throws MapiException MAPI_E_INVALID_PARAMETER for a null destination or a negative count; the errors of
     *                       {@link #read} and {@link #write}
     */
    default long copyTo(MapiStream destination, long count) {
        if (destination == null || count < 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "IStream::CopyTo needs a destination stream and a non-negative count");
        }
        byte[] piece = new byte[(int) Math.min(count, 64 * 1024)];
        long done = 0;
        while (done < count) {
            int n = read(piece, 0, (int) Math.min(piece.length, count - done));
            if (n == 0) {
                break;
            }
            destination.write(piece, 0, n);
            done += n;
        }
        return done;
    }

    /**
     * A read view for Java code: reads from the seek pointer on (advancing it). Closing the view does not release
     * the stream. MapiExceptions from {@link #read} come out as IOExceptions carrying them as cause.
     *
     * @return the view
     */
    default InputStream asInputStream() {
        MapiStream self = this;
        return new InputStream() {
            private boolean closed;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (closed) {
                    throw new IOException("the InputStream view of the MapiStream was closed");
                }
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                try {
                    int n = self.read(b, off, len);
                    return n == 0 ? -1 : n;
                } catch (MapiException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    /**
     * A write view for Java code: writes at the seek pointer on; {@code flush()} does nothing, {@code close()}
     * commits ({@link #commit} with STGC_DEFAULT) and does not release the stream. MapiExceptions come out as
     * IOExceptions carrying them as cause.
     *
     * @return the view
     */
    default OutputStream asOutputStream() {
        MapiStream self = this;
        return new OutputStream() {
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (closed) {
                    throw new IOException("the OutputStream view of the MapiStream was closed");
                }
                Objects.checkFromIndexSize(off, len, b.length);
                try {
                    self.write(b, off, len);
                } catch (MapiException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    self.commit(Flags.STGC_DEFAULT);
                } catch (MapiException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
        };
    }

    /**
     * STATSTG, the part of it a property stream has.
     *
     * @param propTag the property the stream was opened on
     * @param size    the stream's current size in bytes (uncommitted changes included)
     * @param mode    {@link Flags#STGM_READ} or {@link Flags#STGM_READWRITE}, with {@link Flags#STGM_TRANSACTED}
     */
    record Stat(int propTag, long size, int mode) {}
}
