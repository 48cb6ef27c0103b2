package org.jmapi.runtime.trace;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes a trace to a file as JSON Lines: one {@link TraceEvent#toJson()} line per event, UTF-8, each line ended by
 * {@code \n}. Read it back with {@link TraceEvent#fromJson(String)}.
 *
 * <p><b>Durability.</b> Every line is flushed to the operating system before {@link #onEvent} returns, so if the
 * process dies (a crash, {@code kill -9}) the file holds every event up to the last one. The file is not fsynced,
 * so a power loss may lose the newest lines.
 *
 * <p><b>Errors.</b> Nothing is thrown into the traced call: the first I/O error stops all further writing and is
 * kept for {@link #error()}.
 *
 * <p><b>Ownership.</b> The creator owns the file handle and must {@link #close()} it, after removing the writer from
 * the trace (events reaching a closed writer are ignored). It is safe to close more than once.
 *
 * <p>Thread-safe: {@link #onEvent} is synchronized, so lines never interleave. Lines appear in the order events
 * reach the writer, which across threads may differ slightly from {@code seq} order.
 */
public final class JsonLinesTraceWriter implements TraceListener, AutoCloseable {
    private final Path file;
    private final Writer out;
    private boolean closed;
    private IOException error;

    /**
     * Opens {@code file} for writing, creating missing parent directories and the file, and truncating a file that
     * already exists.
     *
     * @param file where the trace goes
     * @throws IOException if the directories or the file cannot be created or opened
     */
    public JsonLinesTraceWriter(Path file) throws IOException {
        this.file = Objects.requireNonNull(file, "file");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    /**
     * Appends the event's JSON line and flushes it. Does nothing after {@link #close()} or after an I/O error.
     * Never throws.
     *
     * @param e the event
     */
    @Override
    public synchronized void onEvent(TraceEvent e) {
        if (closed || error != null) {
            return;
        }
        try {
            out.write(e.toJson());
            out.write('\n');
            out.flush();
        } catch (IOException ex) {
            error = ex;
        }
    }

    /**
     * The first I/O error this writer met (while writing, flushing or closing), after which it wrote nothing more.
     *
     * @return the error, or null if every write so far succeeded
     */
    public synchronized IOException error() {
        return error;
    }

    /**
     * The file this writer writes.
     *
     * @return the path given to the constructor
     */
    public Path file() {
        return file;
    }

    /**
     * Closes the file. Later events are ignored. It is safe to close more than once; only the first call does
     * anything. Never throws: a failure to close is kept for {@link #error()} unless an earlier error is there.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException ex) {
            if (error == null) {
                error = ex;
            }
        }
    }

    @Override
    public String toString() {
        return "JsonLinesTraceWriter[" + file + "]";
    }
}
