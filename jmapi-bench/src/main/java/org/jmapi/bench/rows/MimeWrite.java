package org.jmapi.bench.rows;

/** {@code mime.write}: MAPI → MIME over the shared .eml corpus. */
public final class MimeWrite extends Pending {
    @Override
    public String name() {
        return "mime.write";
    }

    @Override
    public String what() {
        return "MAPI message → MIME over the ../shared/testdata/eml corpus, repeated";
    }

    @Override
    public String baseline() {
        return "Angus Mail MimeMessage.writeTo of the same messages";
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
