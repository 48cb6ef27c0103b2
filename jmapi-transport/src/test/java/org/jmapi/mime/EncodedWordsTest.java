package org.jmapi.mime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 2047 encoded-words. */
class EncodedWordsTest {

    @Test
    void decode_basicForms() {
        assertThat(EncodedWords.decode("=?UTF-8?B?44G+44G/44KA44KB44KC?=")).isEqualTo("まみむめも");
        assertThat(EncodedWords.decode("=?iso-8859-1?q?caf=E9_au_lait?=")).isEqualTo("café au lait");
        assertThat(EncodedWords.decode("plain text")).isEqualTo("plain text");
        assertThat(EncodedWords.decode(null)).isNull();
    }

    @Test
    void decode_whitespaceBetweenWordsIsDropped_RFC2047_6_2() {
        assertThat(EncodedWords.decode("=?utf-8?Q?a?= =?utf-8?Q?b?=")).isEqualTo("ab");
        assertThat(EncodedWords.decode("=?utf-8?Q?a?=\t  =?utf-8?Q?b?= c")).isEqualTo("ab c");
        assertThat(EncodedWords.decode("x =?utf-8?Q?a?= y")).isEqualTo("x a y");
    }

    @Test
    void decode_multibyteSplitAcrossWords() {
        // "ü" is C3 BC; an encoder split it between two words.
        assertThat(EncodedWords.decode("=?utf-8?Q?gr=C3?= =?utf-8?Q?=BCn?=")).isEqualTo("grün");
        assertThat(EncodedWords.decode("=?utf-8?B?w6k=?==?utf-8?B?w6k=?=")).isEqualTo("éé");
    }

    @Test
    void decode_lenientCases() {
        assertThat(EncodedWords.decode("=?x-nonsense?Q?caf=E9?=")).as("unknown charset as Latin-1").isEqualTo("café");
        assertThat(EncodedWords.decode("=?utf-8*en?Q?hi?=")).as("RFC 2231 language").isEqualTo("hi");
        assertThat(EncodedWords.decode("=?utf-8?B?w6k?=")).as("missing padding").isEqualTo("é");
        assertThat(EncodedWords.decode("=?utf-8?B?@@@@?=")).as("not base64: kept").isEqualTo("=?utf-8?B?@@@@?=");
        assertThat(EncodedWords.decode("pre=?utf-8?Q?X?=post")).as("glued to text").isEqualTo("preXpost");
        assertThat(EncodedWords.decode("=?utf-8?Q?a=ZZ?=")).as("bad Q escape literal").isEqualTo("a=ZZ");
    }

    @Test
    void encode_roundTripsAndStaysWithinLimits() {
        for (String s : List.of("", "a", "Grüße", "まみむめも", "🎉🍿 emoji 👍🏽", "x".repeat(500), "=?utf-8?Q?x?=",
                "a_b=c?d", " spaces  ", "\u00e9".repeat(100), "mixed ASCII with one é in the middle of it all")) {
            String encoded = EncodedWords.encode(s);
            assertThat(EncodedWords.decode(encoded)).as(s).isEqualTo(s);
            for (String word : encoded.split(" ")) {
                assertThat(word.length()).as("word of %s", s).isLessThanOrEqualTo(75);
                assertThat(word).matches("=\\?utf-8\\?[QB]\\?[^ ?]*\\?=");
            }
        }
        assertThat(EncodedWords.encode("Grüße")).isEqualTo("=?utf-8?Q?Gr=C3=BC=C3=9Fe?=");
        assertThat(EncodedWords.encode("まみむめも")).isEqualTo("=?utf-8?B?44G+44G/44KA44KB44KC?=");
    }

    @Test
    void encode_neverSplitsACodePoint() {
        String emoji = "🎉".repeat(40);
        for (String word : EncodedWords.encode(emoji).split(" ")) {
            assertThat(EncodedWords.decode(word)).matches("(🎉)+");
        }
    }

    @Test
    void phrase_quotesOrEncodesAsNeeded() {
        assertThat(EncodedWords.phrase("John Smith")).isEqualTo("John Smith");
        assertThat(EncodedWords.phrase("Smith, John")).isEqualTo("\"Smith, John\"");
        assertThat(EncodedWords.phrase("a \"b\" \\c")).isEqualTo("\"a \\\"b\\\" \\\\c\"");
        assertThat(EncodedWords.phrase("Jürgen")).isEqualTo("=?utf-8?Q?J=C3=BCrgen?=");
        assertThat(EncodedWords.phrase("O'Brien")).isEqualTo("O'Brien");
    }

    @Test
    void needsEncoding() {
        assertThat(EncodedWords.needsEncoding("plain ascii\twith tab")).isFalse();
        assertThat(EncodedWords.needsEncoding("ü")).isTrue();
        assertThat(EncodedWords.needsEncoding("new\nline")).isTrue();
        assertThat(EncodedWords.needsEncoding("=?looks?Q?encoded?=")).isTrue();
        assertThat(EncodedWords.needsEncoding("y".repeat(901))).isTrue();
    }
}
