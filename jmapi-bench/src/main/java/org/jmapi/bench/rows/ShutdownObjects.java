package org.jmapi.bench.rows;

/** {@code shutdown.objects}: storeLogoff + final release with many open objects (end-to-end, timed loops). */
public final class ShutdownObjects extends Pending {
    @Override
    public String name() {
        return "shutdown.objects";
    }

    @Override
    public String what() {
        return "storeLogoff + final release with 1,000 / 10,000 / 100,000 open objects";
    }

    @Override
    public String baseline() {
        return "— (linearity: the 100,000 case ≤ 12× the 10,000 case)";
    }

    @Override
    public String target() {
        return "10,000 objects under 20 ms; 100,000 ≤ 12× 10,000";
    }

    @Override
    public String notMeasuredReason() {
        return "not written yet: the SQLite store provider (jmapi.sqlite-store) now exists; the timed 1,000/10,000/100,000-object logoff and its chart are the next step";
    }
}
