package org.jmapi.transport.smtp;

import org.jmapi.Flags;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reply classes, enhanced status codes, the diagnostic a refusal reports, and secret cleaning. */
class SmtpReplyTest {

    private static SmtpReply reply(String... lines) {
        return new SmtpReply(Integer.parseInt(lines[0].substring(0, 3)), List.of(lines));
    }

    @Test
    void classesAndTexts() {
        SmtpReply r = reply("550-5.1.1 first line", "550 5.1.1 second line");
        assertThat(r.permanentFailure()).isTrue();
        assertThat(r.positive() || r.transientFailure() || r.intermediate()).isFalse();
        assertThat(r.text()).isEqualTo("550-5.1.1 first line\r\n550 5.1.1 second line");
        assertThat(r.oneLine()).isEqualTo("550-5.1.1 first line 550 5.1.1 second line");
        assertThat(r.enhancedCode()).isEqualTo("5.1.1");
        assertThat(reply("250 ok").enhancedCode()).isNull();
        assertThat(reply("451 4.3.0 later").transientFailure()).isTrue();
        assertThat(reply("354 go").intermediate()).isTrue();
    }

    @Test
    void theDiagnosticFollowsTheEnhancedCodeElseTheBasicCode() {
        assertThat(SmtpLogon.diagnostic(reply("550 5.1.1 no such user")))
                .isEqualTo(Flags.MAPI_DIAG_OR_NAME_UNRECOGNIZED);
        assertThat(SmtpLogon.diagnostic(reply("552 5.2.2 mailbox full")))
                .isEqualTo(Flags.MAPI_DIAG_RECIPIENT_UNAVAILABLE);
        assertThat(SmtpLogon.diagnostic(reply("554 5.4.6 routing loop"))).isEqualTo(Flags.MAPI_DIAG_LOOP_DETECTED);
        assertThat(SmtpLogon.diagnostic(reply("554 5.7.1 policy"))).isEqualTo(Flags.MAPI_DIAG_NO_DIAGNOSTIC);
        assertThat(SmtpLogon.diagnostic(reply("550 no such user"))).isEqualTo(Flags.MAPI_DIAG_OR_NAME_UNRECOGNIZED);
        assertThat(SmtpLogon.diagnostic(reply("554 no"))).isEqualTo(Flags.MAPI_DIAG_NO_DIAGNOSTIC);
    }

    @Test
    void usableAddresses() {
        assertThat(SmtpLogon.usableAddress("a@example.org")).isTrue();
        assertThat(SmtpLogon.usableAddress("\"quoted local\"@example.org")).isFalse(); // a space: not sent as is
        assertThat(SmtpLogon.usableAddress("a@example.org>\r\nRCPT TO:<b@example.org")).isFalse();
        assertThat(SmtpLogon.usableAddress("no-at-sign")).isFalse();
        assertThat(SmtpLogon.usableAddress("@example.org")).isFalse();
        assertThat(SmtpLogon.usableAddress("a@")).isFalse();
    }

    @Test
    void secretsAreCleanedInEveryForm() {
        Secrets s = new Secrets("me", "pw-123");
        String plain = java.util.Base64.getEncoder().encodeToString(Secrets.plainToken("me", "pw-123"));
        String login = java.util.Base64.getEncoder().encodeToString("pw-123".getBytes());
        assertThat(s.clean("x pw-123 y " + plain + " z " + login)).isEqualTo("x " + Secrets.MASK + " y "
                + Secrets.MASK + " z " + Secrets.MASK);
        assertThat(new Secrets(null, null).clean("nothing to hide")).isEqualTo("nothing to hide");
    }
}
