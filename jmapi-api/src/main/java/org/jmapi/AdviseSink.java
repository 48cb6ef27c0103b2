package org.jmapi;

import java.util.List;

/**
 * IMAPIAdviseSink: receives notifications registered with an {@code advise} method.
 *
 * <p><b>Threads.</b> Called on the subsystem's notification dispatcher thread (R-INIT-4), never inside the call
 * that caused the event (R-NTF-3), one batch at a time per registration, in order (R-NTF-4).
 *
 * <p><b>Ownership.</b> If the sink also implements {@link MapiObject}, the source AddRefs it at advise and
 * releases it after unadvise, once a call running on another thread has returned (R-NTF-1); otherwise the source
 * simply keeps the Java reference until unadvise. After the source's logon is logged off the sink receives
 * nothing more and is released (R-INV-2).
 */
@FunctionalInterface
public interface AdviseSink {
    /**
     * IMAPIAdviseSink::OnNotify.
     *
     * @param notifications one or more notifications, in the order the events happened; owned by the callee only
     *                      for the duration of the call
     * @return 0, or {@link Flags#CALLBACK_DISCONTINUE} to stop delivery of the rest of a synchronous batch
     */
    int onNotify(List<Notification> notifications);
}
