package org.jmapi.bench.rows;

/** {@code spooler.smtp}: 5,000 queued messages through the spooler to an in-process SMTP sink (end-to-end). */
public final class SpoolerSmtp extends Pending {
    @Override
    public String name() {
        return "spooler.smtp";
    }

    @Override
    public String what() {
        return "5,000 queued messages until all accepted by an in-process SMTP sink";
    }

    @Override
    public String baseline() {
        return "a plain Angus Mail Transport.sendMessage loop over one connection, same messages, same sink";
    }

    @Override
    public String target() {
        return "ratio (baseline time / jmapi time) ≥ 1.5";
    }

    @Override
    public String notMeasuredReason() {
        return "needs the spooler send loop and the SMTP transport (issue 4); the MIME converter exists";
    }
}
