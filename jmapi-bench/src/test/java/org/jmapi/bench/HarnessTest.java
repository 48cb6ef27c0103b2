package org.jmapi.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jmapi.prop.PropTags;
import org.jmapi.store.MessageImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness itself (not a benchmark): the message shape the issue asks for, and the report's honesty rules. */
class HarnessTest {
    @Test
    void benchmarkMessageHasTwentyPropertiesTwoRecipientsAndTheBody() {
        MessageData m = MessageData.generate(7, 4096, Instant.parse("2024-01-01T00:00:00Z"));
        MessageImage image = m.image();
        assertThat(image.properties()).hasSize(20);
        assertThat(image.recipients()).hasSize(2);
        assertThat(image.find(PropTags.PR_BODY).orElseThrow().asString()).hasSize(4096);
        assertThat(m.props()).hasSize(20);
        assertThat(PlainSqlite.COLUMNS).hasSize(20);
    }

    @Test
    void postgresRowsFollowTheirSqliteRowsWithTheSameTargets() {
        List<String> names = Rows.ALL.stream().map(Row::name).toList();
        for (String base : List.of("store.save", "table.sort")) {
            int i = names.indexOf(base);
            assertThat(i).as(base).isNotNegative();
            assertThat(names.get(i + 1)).isEqualTo(base + "[postgresql]");
            assertThat(Rows.ALL.get(i + 1).target()).isEqualTo(Rows.ALL.get(i).target());
        }
    }

    @Test
    void sameSeedSameMessage() {
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        assertThat(MessageData.generate(42, 100, base)).isEqualTo(MessageData.generate(42, 100, base));
    }

    @Test
    void reportShowsMissedTargetsAndRowsNotMeasured(@TempDir Path root) throws Exception {
        Result missed = new Result("table.sort", 3.0, 0.1, "ms", "sqlite", 1.0, 0.05, 3.0, "ratio ≤ 2, < 5 ms",
                List.of(new Result.Check("ratio ≤ 2", false), new Result.Check("< 5 ms", true)), Map.of());
        Result met = new Result("store.save", 900, 10, "messages/s", "jdbc", 1000, 10, 0.9, "ratio ≥ 0.7",
                List.of(new Result.Check("ratio ≥ 0.7", true)), Map.of());
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("date", "2025-01-01T00:00:00Z");
        run.put("command", "bench/run --quick");
        run.put("mode", "quick");
        run.put("machine", Map.of("cores", 2, "jdk", "17"));
        run.put("rows", List.of(met.toJson(), missed.toJson()));
        run.put("notMeasured", List.of(Map.of("name", "mime.parse", "what", "w", "baseline", "b", "target", "t",
                "reason", "converter not built yet")));
        Report.write(new ObjectMapper().valueToTree(run), root);
        String doc = Files.readString(root.resolve("docs/performance.md"));
        assertThat(doc).contains("| `table.sort` |").contains("**MISSED** (ratio ≤ 2)")
                .contains("| `store.save` |").contains("| met |")
                .contains("## Not measured yet").contains("converter not built yet")
                .contains("`bench/run --quick`").contains("2025-01-01T00:00:00Z");
        assertThat(doc).doesNotContain("| `mime.parse` | 0");
    }

    @Test
    void reportChartsShutdownTimeAgainstOpenObjects(@TempDir Path root) throws Exception {
        Result small = new Result("shutdown.objects[1000]", 1.5, Double.NaN, "ms", "—", Double.NaN, Double.NaN,
                Double.NaN, "report (chart)", List.of(new Result.Check("every open object invalidated", true)),
                Map.of("open_objects", 1000));
        Result big = new Result("shutdown.objects[10000]", 25, Double.NaN, "ms", "—", Double.NaN, Double.NaN,
                Double.NaN, "< 20 ms", List.of(new Result.Check("< 20 ms", false)), Map.of("open_objects", 10000));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("date", "2025-01-01T00:00:00Z");
        run.put("command", "bench/run --quick");
        run.put("mode", "quick");
        run.put("machine", Map.of("cores", 2, "jdk", "17"));
        run.put("rows", List.of(small.toJson(), big.toJson()));
        run.put("notMeasured", List.of());
        Report.write(new ObjectMapper().valueToTree(run), root);
        String doc = Files.readString(root.resolve("docs/performance.md"));
        assertThat(doc).contains("## Shutdown time against open objects").contains("**MISSED** (< 20 ms)")
                .contains("█".repeat(50)).contains("      10,000");
        assertThat(doc).doesNotContain("NaN");
    }
}
