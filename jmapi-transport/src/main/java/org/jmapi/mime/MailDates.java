package org.jmapi.mime;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 5322 dates: a lenient parser (obsolete two- and three-digit years, obsolete and military zones, missing
 * seconds, comments, missing day names, asctime order {@code Tue May 10 11:28:07 2005}) and the writer's format.
 * Stateless; thread-safe.
 */
final class MailDates {
    /** Not instantiable. */
    private MailDates() {}

    /** The RFC 5322 date-time format the writer uses, e.g. {@code Wed, 11 Feb 1998 11:51:00 -0600}. */
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);

    /** Obsolete zone names (RFC 5322 &sect;4.3) and a few common ones, in hours from UTC. */
    private static final Map<String, Integer> ZONES = Map.ofEntries(
            Map.entry("UT", 0), Map.entry("UTC", 0), Map.entry("GMT", 0), Map.entry("Z", 0),
            Map.entry("EST", -5), Map.entry("EDT", -4), Map.entry("CST", -6), Map.entry("CDT", -5),
            Map.entry("MST", -7), Map.entry("MDT", -6), Map.entry("PST", -8), Map.entry("PDT", -7));

    /** English month abbreviations. */
    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

    /** A comment in a date (RFC 5322 CFWS), removed before parsing. */
    private static final java.util.regex.Pattern COMMENT = java.util.regex.Pattern.compile("\\([^)]*\\)");
    /** The separator of a date's tokens. */
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    /**
     * Parses a Date header.
     *
     * @param value the unfolded header value
     * @return the instant, or empty when the value holds no recognisable date and time of day
     */
    static Optional<Instant> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String s = (value.indexOf('(') >= 0 ? COMMENT.matcher(value).replaceAll(" ") : value).replace(',', ' ');
        int day = -1;
        int month = -1;
        int year = -1;
        int[] time = null;
        ZoneOffset zone = null;
        for (String tok : WHITESPACE.split(s.trim())) {
            if (tok.isEmpty()) {
                continue;
            }
            if (time == null && tok.indexOf(':') > 0) {
                time = time(tok);
                if (time == null) {
                    return Optional.empty();
                }
            } else if ((tok.startsWith("+") || tok.startsWith("-")) && tok.length() == 5 && digits(tok.substring(1))) {
                int h = Integer.parseInt(tok.substring(1, 3));
                int m = Integer.parseInt(tok.substring(3));
                if (h > 23 || m > 59) {
                    return Optional.empty();
                }
                int secs = (h * 3600 + m * 60) * (tok.startsWith("-") ? -1 : 1);
                zone = ZoneOffset.ofTotalSeconds(secs);
            } else if (digits(tok)) {
                int v = Integer.parseInt(tok.length() > 6 ? "999999" : tok);
                if (day < 0 && tok.length() <= 2) {
                    day = v;
                } else if (year < 0) {
                    year = tok.length() == 2 ? (v < 50 ? 2000 + v : 1900 + v) : tok.length() == 3 ? 1900 + v : v;
                }
            } else if (tok.length() >= 3 && month < 0 && isLetters(tok) && monthIndex(tok) >= 0) {
                month = monthIndex(tok) + 1;
            } else if (time != null && zone == null && isLetters(tok)) {
                Integer h = ZONES.get(tok.toUpperCase(Locale.ROOT));
                zone = ZoneOffset.ofHours(h == null ? 0 : h);
            }
        }
        if (day < 1 || month < 1 || year < 0 || year > 9999 || time == null) {
            return Optional.empty();
        }
        try {
            LocalDateTime ldt = LocalDateTime.of(year, month, day, time[0], time[1], time[2]);
            return Optional.of(ldt.toInstant(zone == null ? ZoneOffset.UTC : zone));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * @param instant a time
     * @param zone    the zone to show it in
     * @return the RFC 5322 date-time
     */
    static String format(Instant instant, ZoneId zone) {
        return FORMAT.format(instant.atZone(zone));
    }

    /**
     * @param tok {@code hh:mm} or {@code hh:mm:ss}
     * @return hours, minutes, seconds; null when malformed or out of range
     */
    private static int[] time(String tok) {
        String[] p = tok.split(":");
        if (p.length < 2 || p.length > 3) {
            return null;
        }
        int[] t = new int[3];
        for (int i = 0; i < p.length; i++) {
            if (!digits(p[i]) || p[i].length() > 2) {
                return null;
            }
            t[i] = Integer.parseInt(p[i]);
        }
        // 60 is a leap second; LocalDateTime cannot hold it, so it becomes 59.
        t[2] = Math.min(t[2], 59);
        return t[0] < 24 && t[1] < 60 ? t : null;
    }

    /**
     * @param tok a word of letters, at least three
     * @return 0 for January to 11 for December by its first three letters, or -1
     */
    private static int monthIndex(String tok) {
        int i = MONTHS.indexOf(tok.substring(0, 3).toLowerCase(Locale.ROOT));
        return i >= 0 && i % 3 == 0 ? i / 3 : -1;
    }

    /**
     * @param s a string
     * @return whether it is one or more ASCII digits
     */
    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * @param s a string
     * @return whether it is one or more ASCII letters
     */
    private static boolean isLetters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return !s.isEmpty();
    }
}
