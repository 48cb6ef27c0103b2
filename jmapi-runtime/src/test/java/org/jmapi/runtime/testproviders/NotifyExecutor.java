package org.jmapi.runtime.testproviders;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The asynchronous executor the test providers hand to their {@link org.jmapi.table.TableData} tables: one daemon
 * thread for the whole JVM, so table notifications arrive after the call that caused them returned (R-NTF-3) and
 * in event order (R-NTF-4). The thread never keeps the JVM alive.
 */
final class NotifyExecutor {
    /** The shared executor. */
    static final Executor INSTANCE;

    static {
        ExecutorService service = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jmapi-testproviders-notify");
            t.setDaemon(true);
            return t;
        });
        INSTANCE = service;
    }

    private NotifyExecutor() {}
}
