package org.jmapi.mime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Content-Type / Content-Disposition parameters, RFC 2045 and RFC 2231. */
class MimeParametersTest {

    @Test
    void parse_plainQuotedAndComments() {
        MimeParameters p = MimeParameters.parse("text/plain (comment); charset=\"us-ascii\" ; format=flowed;"
                + " name=\"a \\\"b\\\" ; c.txt\"");
        assertThat(p.value()).isEqualTo("text/plain");
        assertThat(p.get("CHARSET")).isEqualTo("us-ascii");
        assertThat(p.get("format")).isEqualTo("flowed");
        assertThat(p.get("name")).isEqualTo("a \"b\" ; c.txt");
        assertThat(MimeParameters.parse(null).value()).isEmpty();
        assertThat(MimeParameters.parse("attachment;;; =x; y").params()).isEmpty();
    }

    @Test
    void parse_rfc2231() {
        assertThat(MimeParameters.parse("attachment; filename*=utf-8''%E2%82%AC%20a+b.pdf").get("filename"))
                .as("'+' is a plain character").isEqualTo("€ a+b.pdf");
        assertThat(MimeParameters.parse("attachment; filename*=iso-8859-1'fr'%E9t%E9.txt").get("filename"))
                .isEqualTo("été.txt");
        assertThat(MimeParameters.parse("attachment; filename*1*=%20b; filename*0*=utf-8''a%C3%A4;"
                + " filename*2=\" c.txt\"").get("filename")).as("sections in number order, plain ones raw")
                .isEqualTo("aä b c.txt");
        assertThat(MimeParameters.parse("attachment; filename=plain.txt; filename*=utf-8''ext%C3%A9.txt")
                .get("filename")).as("extended wins").isEqualTo("exté.txt");
        assertThat(MimeParameters.parse("attachment; filename*=x-bogus''%E9").get("filename"))
                .as("unknown charset as Latin-1").isEqualTo("é");
        assertThat(MimeParameters.parse("attachment; filename*=utf-8''100%").get("filename"))
                .as("bad escape kept").isEqualTo("100%");
        assertThat(MimeParameters.parse("attachment; filename*0*=utf-8''%E2%82; filename*1*=%AC").get("filename"))
                .as("a character split across sections").isEqualTo("€");
    }

    @Test
    void parse_rfc2047InsideValues() {
        assertThat(MimeParameters.parse("text/plain; name==?koi8-r?B?89DJ08/LLmRvYw==?=").get("name"))
                .isEqualTo("Список.doc");
        assertThat(MimeParameters.parse("attachment; filename=\"=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?=\"").get("filename"))
                .isEqualTo("résumé.pdf");
    }

    @Test
    void format_roundTrips() {
        for (String v : List.of("simple.txt", "with space.txt", "quote\"and\\back.txt", "Übersicht.pdf",
                "日本語のファイル名がとても長い場合の継続行テスト.docx", "a;b=c.txt", "🎉".repeat(30), "")) {
            List<String> pieces = MimeParameters.format("filename", v);
            for (String piece : pieces) {
                assertThat(piece.length()).as("piece of %s", v).isLessThanOrEqualTo(80);
                assertThat(piece).matches("\\p{ASCII}+");
            }
            String header = "attachment; " + String.join("; ", pieces);
            assertThat(MimeParameters.parse(header).get("filename")).as(v).isEqualTo(v);
        }
        assertThat(MimeParameters.format("filename", "a.txt")).containsExactly("filename=a.txt");
        assertThat(MimeParameters.format("filename", "ä.txt")).containsExactly("filename*=utf-8''%C3%A4.txt");
    }
}
