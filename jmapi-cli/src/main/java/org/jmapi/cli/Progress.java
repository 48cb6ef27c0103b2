package org.jmapi.cli;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;

/**
 * A progress bar on standard error for the long commands (flush, import, export), drawn by
 * {@code me.tongfei:progressbar}. Shown when standard error is a terminal, or always with {@code --progress};
 * never with {@code --json}. When not shown every method does nothing. One thread.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * @param task   the bar's title
     * @param max    the number of steps
     * @param forced --progress was given
     * @param json   --json was given
     * @param err    standard error
     * @return the bar (perhaps invisible)
     */
    static Progress start(String task, long max, boolean forced, boolean json, PrintWriter err) {
        if (json || !(forced || System.console() != null)) {
            return new Progress(null);
        }
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100).hideEta();
        if (System.console() == null) {
            b.setConsumer(new DelegatingProgressBarConsumer(line -> {
                err.print("\r" + line);
                err.flush();
            }, 78));
        }
        return new Progress(b.build());
    }

    /** @param n the steps done so far */
    void stepTo(long n) {
        if (bar != null) {
            bar.stepTo(n);
        }
    }

    /** @param max a new number of steps */
    void maxHint(long max) {
        if (bar != null) {
            bar.maxHint(max);
        }
    }

    /** Draws the final state and ends the line. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
