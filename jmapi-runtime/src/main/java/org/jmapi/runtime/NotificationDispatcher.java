package org.jmapi.runtime;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one notification thread of an initialised subsystem (R-INIT-4): every client-visible notification runs
 * here, after the call that caused it returned (R-NTF-3), in the order it was queued. Lives from the first
 * {@code Mapi.initialize} to the final {@code Mapi.uninitialize}.
 */
final class NotificationDispatcher implements Executor {
    static final String THREAD_NAME = "jmapi-notify";
    private final ExecutorService executor;
    private volatile Thread thread;

    NotificationDispatcher() {
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        ((ThreadPoolExecutor) executor).prestartCoreThread(); // lives from initialize to the final uninitialize
    }

    @Override
    public void execute(Runnable task) {
        if (executor.isShutdown()) {
            return; // after the final uninitialize nothing is delivered
        }
        executor.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // A sink that throws must not kill delivery to the others.
            }
        });
    }

    /** @return whether the caller runs on the dispatcher thread */
    boolean onDispatcherThread() {
        return Thread.currentThread() == thread;
    }

    /** Delivers what is queued, then stops the thread (bounded wait). */
    void shutdown() {
        executor.shutdown();
        try {
            if (!onDispatcherThread() && !executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
