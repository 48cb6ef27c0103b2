package org.jmapi.table;

import org.jmapi.AdviseSink;
import org.jmapi.MapiObject;
import org.jmapi.Notification;

import java.util.ArrayList;
import java.util.List;

/**
 * One advise registration of a table view (IMAPITable::Advise, R-NTF-1): holds the sink (AddRef'ed when it is a
 * {@link MapiObject}, R-REF-2) until closed and until no OnNotify for it is running any more, then releases it
 * exactly once. Shared by {@link TableData} views and providers' own tables.
 *
 * <p><b>Threads:</b> {@link #deliver} runs on the owner's notifier; {@link #close} from any thread.
 */
public final class AdviseRegistration {
    private static final System.Logger LOG = System.getLogger(AdviseRegistration.class.getName());

    /** The sink; AddRef'ed when it is a {@link MapiObject} (R-REF-2). */
    private final AdviseSink sink;
    /** Threads running the sink's OnNotify now; guarded by {@code this}. */
    private final List<Thread> running = new ArrayList<>();
    /** False once closed: nothing more is delivered; guarded by {@code this}. */
    private boolean active = true;
    /** Set when the sink is released, so that it is released exactly once; guarded by {@code this}. */
    private boolean released;
    /** Threads inside {@link #close(boolean)} waiting for OnNotify calls; they release the sink themselves. */
    private int waiters;

    /** @param sink the sink; AddRef'ed here when it is a {@link MapiObject} (R-REF-2) */
    public AdviseRegistration(AdviseSink sink) {
        this.sink = sink;
        if (sink instanceof MapiObject o) {
            o.addRef();
        }
    }

    /**
     * Runs on the notifier: delivers one batch unless the registration was closed meanwhile.
     *
     * @param batch the notifications for one OnNotify call
     */
    public void deliver(List<Notification> batch) {
        synchronized (this) {
            if (!active) {
                return;
            }
            running.add(Thread.currentThread());
        }
        try {
            sink.onNotify(batch);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "advise sink threw from onNotify", e);
        } finally {
            finished();
        }
    }

    /**
     * After an OnNotify: releases the sink if the registration was closed, no other OnNotify is running and no
     * {@link #close(boolean)} is waiting (R-NTF-1: the release waits for a running OnNotify).
     */
    private void finished() {
        boolean release;
        synchronized (this) {
            running.remove(Thread.currentThread());
            notifyAll();
            release = !active && running.isEmpty() && !released && waiters == 0;
            released |= release;
        }
        if (release) {
            releaseSink();
        }
    }

    /**
     * Stops delivery. With {@code waitForOthers}, first waits for OnNotify calls running on other threads (an
     * OnNotify on the calling thread, i.e. unadvise from inside the sink, is not waited for). The sink is
     * released now, or by the last running OnNotify when it returns.
     *
     * @param waitForOthers whether to wait for OnNotify calls running on other threads (true for unadvise)
     */
    public void close(boolean waitForOthers) {
        boolean release;
        boolean interrupted = false;
        synchronized (this) {
            active = false;
            waiters++;
            while (waitForOthers && runningElsewhere()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            waiters--;
            release = running.isEmpty() && !released;
            released |= release;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (release) {
            releaseSink();
        }
    }

    /** @return whether an OnNotify is running on a thread other than the caller's */
    private boolean runningElsewhere() {
        Thread me = Thread.currentThread();
        return running.stream().anyMatch(t -> t != me);
    }

    /** Gives back the sink reference taken at construction; called once. */
    private void releaseSink() {
        if (sink instanceof MapiObject o) {
            o.release();
        }
    }
}
