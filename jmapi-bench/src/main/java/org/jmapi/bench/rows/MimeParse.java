package org.jmapi.bench.rows;

/** {@code mime.parse}: MIME → MAPI over the shared .eml corpus. */
public final class MimeParse extends Pending {
    @Override
    public String name() {
        return "mime.parse";
    }

    @Override
    public String what() {
        return "MIME → MAPI message over the ../shared/testdata/eml corpus, repeated";
    }

    @Override
    public String baseline() {
        return "Angus Mail MimeMessage parse of the same bytes";
    }

    @Override
    public String target() {
        return "ratio (jmapi / baseline throughput) ≥ 0.8";
    }

    @Override
    public String notMeasuredReason() {
        return "not written yet: the MIME converter now exists (org.jmapi.mime in jmapi-transport), but jmapi-bench does not depend on jmapi-transport yet";
    }
}
