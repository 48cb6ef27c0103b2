package org.jmapi.mime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lenient RFC 5322 address-list parser. */
class MailAddressTest {

    /**
     * @param header an address-list value
     * @return "name|address" per mailbox
     */
    private static List<String> parse(String header) {
        return MailAddress.parseList(header).stream().map(a -> a.name() + "|" + a.address()).toList();
    }

    @Test
    void parseList_forms() {
        assertThat(parse("a@x.org")).containsExactly("|a@x.org");
        assertThat(parse("John Smith <js@x.org>")).containsExactly("John Smith|js@x.org");
        assertThat(parse("\"Smith, John\" <js@x.org>, b@y.org")).containsExactly("Smith, John|js@x.org", "|b@y.org");
        assertThat(parse("<only@angle.org>")).containsExactly("|only@angle.org");
        assertThat(parse("addr@x.org (Comment Name)")).containsExactly("Comment Name|addr@x.org");
        assertThat(parse("Name (comment) <n@x.org>")).containsExactly("Name|n@x.org");
        assertThat(parse("=?utf-8?Q?J=C3=BCrgen?= =?utf-8?Q?_M=C3=BCller?= <jm@x.de>"))
                .containsExactly("Jürgen Müller|jm@x.de");
        assertThat(parse("\"=?utf-8?B?w6Q=?=\" <q@x.org>")).as("encoded-word in quotes").containsExactly("ä|q@x.org");
        assertThat(parse("Jürgen <raw@x.de>")).containsExactly("Jürgen|raw@x.de");
        assertThat(parse("\"john doe\"@x.org")).containsExactly("|\"john doe\"@x.org");
    }

    @Test
    void parseList_groupsAndObsoleteSyntax() {
        assertThat(parse("undisclosed-recipients:;")).isEmpty();
        assertThat(parse("Team: a@x.org, B <b@x.org>;, c@x.org")).containsExactly("|a@x.org", "B|b@x.org", "|c@x.org");
        assertThat(parse("<@relay.org,@r2.org:user@x.org>")).containsExactly("|user@x.org");
        assertThat(parse("a@x.org,,, ,b@x.org")).containsExactly("|a@x.org", "|b@x.org");
        assertThat(parse("localrecipient")).containsExactly("|localrecipient");
    }

    @Test
    void parseList_brokenInputNeverFails() {
        assertThat(parse("Broken Name broken@x.org")).containsExactly("Broken Name|broken@x.org");
        assertThat(parse("\"unterminated <u@x.org>")).containsExactly("unterminated|u@x.org");
        assertThat(parse("<unterminated@x.org")).containsExactly("|unterminated@x.org");
        assertThat(parse("(((((")).isEmpty();
        assertThat(parse("")).isEmpty();
        assertThat(parse(null)).isEmpty();
        assertThat(parse(";;;:::,,,<<>>")).isEmpty();
    }

    @Test
    void format_roundTrips() {
        for (MailAddress a : List.of(new MailAddress("", "a@x.org"), new MailAddress("John", "j@x.org"),
                new MailAddress("Smith, John", "s@x.org"), new MailAddress("Zoë \"Z\" Ångström", "z@x.org"),
                new MailAddress("李小龍", "lee@x.cn"))) {
            assertThat(MailAddress.parseList(a.format())).containsExactly(a);
        }
        assertThat(new MailAddress("a@x.org", "a@x.org").format()).isEqualTo("a@x.org");
    }
}
