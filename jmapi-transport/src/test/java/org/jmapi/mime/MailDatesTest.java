package org.jmapi.mime;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 5322 dates. */
class MailDatesTest {

    /**
     * @param s a Date value
     * @return the instant, or null
     */
    private static Instant parse(String s) {
        return MailDates.parse(s).orElse(null);
    }

    @Test
    void parse_forms() {
        assertThat(parse("Fri, 27 Apr 2007 16:08:23 +0200")).isEqualTo(Instant.parse("2007-04-27T14:08:23Z"));
        assertThat(parse("27 Apr 2007 16:08:23 +0200")).as("no day name").isEqualTo(Instant.parse("2007-04-27T14:08:23Z"));
        assertThat(parse("Wed, 11 Feb 98 11:51 CST")).as("obsolete year and zone, no seconds")
                .isEqualTo(Instant.parse("1998-02-11T17:51:00Z"));
        assertThat(parse("Tue, 23 Feb 2010 22:16:41 -0800 (PST)")).isEqualTo(Instant.parse("2010-02-24T06:16:41Z"));
        assertThat(parse("1 Jan 03 00:00:00 GMT")).isEqualTo(Instant.parse("2003-01-01T00:00:00Z"));
        assertThat(parse("1 Jan 103 00:00:00 +0000")).as("three-digit year").isEqualTo(Instant.parse("2003-01-01T00:00:00Z"));
        assertThat(parse("Tue May 10 11:28:07 2005")).as("asctime").isEqualTo(Instant.parse("2005-05-10T11:28:07Z"));
        assertThat(parse("Mon,  6 Jun 2005 22:21:22 +0200")).isEqualTo(Instant.parse("2005-06-06T20:21:22Z"));
        assertThat(parse("1 January 2020 10:00:00 X")).as("military zone is -0000")
                .isEqualTo(Instant.parse("2020-01-01T10:00:00Z"));
        assertThat(parse("31 Dec 1999 23:59:60 +0000")).as("leap second").isEqualTo(Instant.parse("1999-12-31T23:59:59Z"));
    }

    @Test
    void parse_malformed() {
        assertThat(parse("Malformed Date.")).isNull();
        assertThat(parse("")).isNull();
        assertThat(parse(null)).isNull();
        assertThat(parse("31 Feb 2020 10:00:00 +0000")).isNull();
        assertThat(parse("1 Jan 2020 25:00:00 +0000")).isNull();
        assertThat(parse("1 Jan 2020 10:00:00 +9999")).isNull();
        assertThat(parse("1 Jan 2020")).as("no time").isNull();
        assertThat(parse("1 Jan 99999999999 10:00:00")).isNull();
    }

    @Test
    void format() {
        assertThat(MailDates.format(Instant.parse("2007-04-27T14:08:23Z"), ZoneId.of("Europe/Berlin")))
                .isEqualTo("Fri, 27 Apr 2007 16:08:23 +0200");
        assertThat(MailDates.format(Instant.parse("1998-02-01T05:06:07Z"), ZoneOffset.UTC))
                .isEqualTo("Sun, 1 Feb 1998 05:06:07 +0000");
        Instant t = Instant.parse("2024-12-31T23:59:59Z");
        assertThat(parse(MailDates.format(t, ZoneId.of("America/Los_Angeles")))).isEqualTo(t);
    }
}
