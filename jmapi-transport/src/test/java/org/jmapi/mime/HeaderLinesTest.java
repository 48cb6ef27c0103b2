package org.jmapi.mime;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Header folding. */
class HeaderLinesTest {

    /**
     * @param name  field name
     * @param value field value
     * @return the written field, without the final empty line
     */
    private static String write(String name, String value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new HeaderLines().add(name, value).writeTo(out);
        String s = out.toString(StandardCharsets.UTF_8);
        assertThat(s).endsWith("\r\n\r\n");
        return s.substring(0, s.length() - 2);
    }

    @Test
    void add_foldsAtWhitespaceAndUnfoldsToTheSameValue() throws IOException {
        String value = "word ".repeat(40) + "end  two  spaces\tand tab";
        String written = write("Subject", value);
        for (String line : written.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(78);
            assertThat(line).isNotBlank();
        }
        assertThat(written.replace("\r\n", "")).isEqualTo("Subject: " + value);
    }

    @Test
    void add_longTokenStaysWhole() throws IOException {
        String token = "x".repeat(120);
        String written = write("X-Long", "a " + token + " b");
        assertThat(written).contains(token);
        assertThat(written.replace("\r\n", "")).isEqualTo("X-Long: a " + token + " b");
    }

    @Test
    void add_foldsRightAfterTheColonWhenTheFirstWordIsLong() throws IOException {
        String word = "=?utf-8?B?" + "A".repeat(60) + "?=";
        assertThat(write("Subject", word)).isEqualTo("Subject:\r\n " + word + "\r\n");
    }

    @Test
    void add_lineBreaksInValuesCannotEndTheHeader() throws IOException {
        assertThat(write("Subject", "evil\r\nBcc: x@y")).isEqualTo("Subject: evil  Bcc: x@y\r\n");
    }
}
