package org.jmapi.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A command's standard output: aligned text tables for people, or JSON ({@code --json}) for programs. Every JSON
 * document is written on one line, so a stream of them ({@code serve --json}) is JSON Lines. One thread.
 */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** Standard output. */
    final PrintWriter out;
    /** Whether --json was given. */
    final boolean json;

    /**
     * @param out  standard output
     * @param json whether to write JSON
     */
    Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** @param line one line of text */
    void line(String line) {
        out.println(line);
        out.flush();
    }

    /** @param value a JSON-compatible value (maps, lists, strings, numbers, booleans, null) written on one line */
    void json(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
        out.flush();
    }

    /**
     * Writes a text table: a header line, then one line per row, columns padded to the widest cell (the last column
     * is not padded).
     *
     * @param headers the column titles
     * @param rows    the cells
     */
    void table(List<String> headers, List<List<String>> rows) {
        int[] width = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> r : all) {
            for (int i = 0; i < width.length && i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        for (List<String> r : all) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                String cell = i < r.size() ? r.get(i) : "";
                b.append(cell);
                if (i < width.length - 1) {
                    b.append(" ".repeat(width[i] - cell.length() + 2));
                }
            }
            out.println(b.toString().stripTrailing());
        }
        out.flush();
    }

    /**
     * @param s     a cell
     * @param limit the longest cell wanted
     * @return {@code s} on one line, cut to {@code limit} characters with "…" when longer
     */
    static String cell(String s, int limit) {
        String one = s == null ? "" : s.replaceAll("[\\r\\n\\t]+", " ");
        return one.length() <= limit ? one : one.substring(0, Math.max(0, limit - 1)) + "…";
    }
}
