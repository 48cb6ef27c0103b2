package org.jmapi.transport.smtp;

import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Message-ID the SMTP transport gives a message that has none: derived from the queued message's entry id and
 * PR_CLIENT_SUBMIT_TIME, so every attempt of one submission sends the same Message-ID without a save of its own
 * (R-MAIL-1), and another message or another submission gets another one.
 */
class SmtpMessageIdTest {
    private static final PropValue ENTRY = PropValue.ofBinary(PropTags.PR_ENTRYID, new byte[] {0, 0, 0, 0, 1, 2, 3, 4});
    private static final PropValue OTHER = PropValue.ofBinary(PropTags.PR_ENTRYID, new byte[] {0, 0, 0, 0, 1, 2, 3, 5});
    private static final PropValue SUBMITTED = PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME,
            Instant.parse("2026-11-21T10:00:00Z"));
    private static final PropValue RESUBMITTED = PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME,
            Instant.parse("2026-11-21T10:00:01Z"));

    @Test
    void R_MAIL_1_everyAttemptOfOneSubmissionHasTheSameMessageId() {
        String first = SmtpLogon.stableMessageId(ENTRY, SUBMITTED, "ann@example.org");
        assertThat(first).matches("<[0-9a-f]{40}@example\\.org>");
        assertThat(SmtpLogon.stableMessageId(ENTRY, SUBMITTED, "ann@example.org")).isEqualTo(first);
    }

    @Test
    void anotherMessageOrSubmissionGetsAnotherMessageId() {
        String first = SmtpLogon.stableMessageId(ENTRY, SUBMITTED, "ann@example.org");
        assertThat(SmtpLogon.stableMessageId(OTHER, SUBMITTED, "ann@example.org")).isNotEqualTo(first);
        assertThat(SmtpLogon.stableMessageId(ENTRY, RESUBMITTED, "ann@example.org")).isNotEqualTo(first);
    }

    @Test
    void theDomainComesFromTheSenderOrIsJmapiInvalid() {
        assertThat(SmtpLogon.stableMessageId(ENTRY, SUBMITTED, "")).endsWith("@jmapi.invalid>");
        assertThat(SmtpLogon.stableMessageId(ENTRY, SUBMITTED, "odd@bad domain")).endsWith("@jmapi.invalid>");
    }

    @Test
    void withoutEntryIdOrSubmitTimeThereIsNone() {
        assertThat(SmtpLogon.stableMessageId(null, SUBMITTED, "ann@example.org")).isNull();
        assertThat(SmtpLogon.stableMessageId(ENTRY, null, "ann@example.org")).isNull();
    }
}
