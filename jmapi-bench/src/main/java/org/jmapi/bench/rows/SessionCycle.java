package org.jmapi.bench.rows;

/** {@code session.cycle}: logon → open store → storeLogoff → release → logoff, per second (end-to-end). */
public final class SessionCycle extends Pending {
    @Override
    public String name() {
        return "session.cycle";
    }

    @Override
    public String what() {
        return "logon → open store → storeLogoff → release → session logoff, cycles per second";
    }

    @Override
    public String baseline() {
        return "—";
    }

    @Override
    public String target() {
        return "report; no growth over 100,000 cycles";
    }

    @Override
    public String notMeasuredReason() {
        return "not written yet: the SQLite store provider (jmapi.sqlite-store) now exists; the timed cycle loop is the next step (LogonCycleLeakTest already checks no growth over 10,000 cycles with the in-memory providers)";
    }
}
