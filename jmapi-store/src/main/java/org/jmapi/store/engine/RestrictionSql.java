package org.jmapi.store.engine;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Restriction;
import org.jmapi.table.SortOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Translates contents-table restrictions and sort orders into SQL over the {@link IndexedColumn}s, with exactly the
 * semantics of {@link org.jmapi.table.Restrictions}; what cannot be translated is left for Java evaluation.
 *
 * <p>Every translated leaf yields a definite true or false, never SQL's unknown (a NULL column — an absent
 * property — makes a comparison false, and NOT of it true, as in Java). Translated: RES_AND / RES_OR / RES_NOT /
 * RES_COMMENT over translatable children; RES_PROPERTY, RES_EXIST, RES_SIZE and RES_BITMASK on an indexed column;
 * RES_COMPAREPROPS between two indexed columns; RES_CONTENT with FL_FULLSTRING / FL_PREFIX / FL_SUBSTRING, with or
 * without FL_IGNORECASE, on an indexed string column. A leaf whose types can never match (a binary pattern against
 * a string column, a PT_I8 constant against PR_MESSAGE_FLAGS) becomes false, as Java would decide for every row.
 * Not translated: anything on other properties, FL_IGNORENONSPACE / FL_LOOSE, patterns containing U+0000,
 * RES_SUBRESTRICTION and RES_COUNT (which counts in table order, so a restriction containing one is never split).
 *
 * <p>The SQL uses only what SQLite and PostgreSQL share, except the substring test and the ORDER BY keys (where
 * NULLs go, and any index expression), which the {@link Dialect} supplies. Pure functions; thread-safe.
 */
public final class RestrictionSql {
    private RestrictionSql() {}

    /** The most sort keys a contents query may have. */
    public static final int MAX_SORT_KEYS = 16;

    /** The engine-specific pieces of SQL. */
    public interface Dialect {
        /**
         * @param column a text column
         * @return a boolean SQL expression with one {@code ?} parameter (the pattern text) that is true when the
         *         column's value contains the pattern ({@code instr(c, ?) > 0} in SQLite, {@code strpos(c, ?) > 0}
         *         in PostgreSQL)
         */
        String contains(String column);

        /**
         * One key of an ORDER BY list over an indexed column. Both directions must give the order of
         * {@link RowOrder}: a message without the property (NULL) sorts first ascending and last descending.
         *
         * @param column     the indexed column
         * @param descending whether the key is TABLE_SORT_DESCEND
         * @return the key's SQL (SQLite, whose NULL already sorts lowest: the column, with {@code DESC} when
         *         descending)
         */
        default String orderKey(IndexedColumn column, boolean descending) {
            return descending ? column.column() + " DESC" : column.column();
        }
    }

    /** SQLite's dialect. */
    public static final Dialect SQLITE = column -> "instr(" + column + ", ?) > 0";

    /**
     * A piece of SQL with its parameters, in order.
     *
     * @param sql    a boolean expression (or an ORDER BY list)
     * @param params the values of its {@code ?} placeholders: {@code Integer}, {@code String} or {@code byte[]}
     */
    public record Fragment(String sql, List<Object> params) {
        /**
         * Copies the list.
         *
         * @param sql a boolean expression (or an ORDER BY list)
         * @param params the values of its {@code ?} placeholders: {@code Integer}, {@code String} or {@code byte[]}
         */
        public Fragment {
            params = List.copyOf(params);
        }
    }

    /**
     * A restriction split into a part for SQL and a part for Java; the row set is the rows both accept.
     *
     * @param sql      the SQL part, or null when nothing could be pushed down
     * @param residual the part to evaluate in Java (with {@link org.jmapi.table.Restrictions#scan} in table order),
     *                 or null when SQL decides everything
     */
    public record Split(Fragment sql, Restriction residual) {}

    private static final String TRUE = "(1=1)";
    private static final String FALSE = "(1=0)";

    /**
     * @param r       a validated restriction ({@link org.jmapi.table.Restrictions#validate}), or null
     * @param dialect the engine's dialect
     * @return the SQL part and the Java part
     */
    public static Split split(Restriction r, Dialect dialect) {
        if (r == null) {
            return new Split(null, null);
        }
        if (containsCount(r)) {
            return new Split(null, r);
        }
        Optional<Fragment> whole = translate(r, dialect);
        if (whole.isPresent()) {
            return new Split(whole.get(), null);
        }
        if (r instanceof Restriction.And and) {
            List<Fragment> pushed = new ArrayList<>();
            List<Restriction> rest = new ArrayList<>();
            for (Restriction c : and.children()) {
                Optional<Fragment> f = translate(c, dialect);
                if (f.isPresent()) {
                    pushed.add(f.get());
                } else {
                    rest.add(c);
                }
            }
            Restriction residual = rest.size() == 1 ? rest.get(0) : new Restriction.And(rest);
            return new Split(pushed.isEmpty() ? null : join(pushed, " AND ", TRUE), residual);
        }
        return new Split(null, r);
    }

    /**
     * @param r       a validated restriction
     * @param dialect the engine's dialect
     * @return its complete translation, or empty when some part of it needs Java
     */
    public static Optional<Fragment> translate(Restriction r, Dialect dialect) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        return emit(r, dialect, sql, params) ? Optional.of(new Fragment(sql.toString(), params)) : Optional.empty();
    }

    /**
     * @param r a restriction
     * @return whether it contains a RES_COUNT node anywhere
     */
    public static boolean containsCount(Restriction r) {
        if (r instanceof Restriction.Count) {
            return true;
        }
        if (r instanceof Restriction.And a) {
            return a.children().stream().anyMatch(RestrictionSql::containsCount);
        }
        if (r instanceof Restriction.Or o) {
            return o.children().stream().anyMatch(RestrictionSql::containsCount);
        }
        if (r instanceof Restriction.Not n) {
            return n.child() != null && containsCount(n.child());
        }
        if (r instanceof Restriction.Comment c) {
            return c.child() != null && containsCount(c.child());
        }
        if (r instanceof Restriction.Sub s) {
            return s.child() != null && containsCount(s.child());
        }
        return false;
    }

    /**
     * The ORDER BY list for a sort order in SQLite's dialect, when every key is an indexed column: the keys, then
     * {@code id} in the direction of the last key (ascending without keys).
     *
     * @param keys the sort keys
     * @return the ORDER BY list, or empty when some key needs Java sorting
     * @throws MapiException MAPI_E_TOO_COMPLEX for an MV_INSTANCE key or more than {@link #MAX_SORT_KEYS} keys;
     *                       MAPI_E_INVALID_PARAMETER for a direction other than ascending / descending
     */
    public static Optional<String> orderBy(List<SortOrder> keys) {
        return orderBy(keys, SQLITE);
    }

    /**
     * The ORDER BY list for a sort order in an engine's dialect, when every key is an indexed column: each key as
     * {@link Dialect#orderKey} writes it, then {@code id} in the direction of the last key (ascending without keys).
     *
     * @param keys    the sort keys
     * @param dialect the engine's dialect
     * @return the ORDER BY list, or empty when some key needs Java sorting
     * @throws MapiException as {@link #orderBy(List)}
     */
    public static Optional<String> orderBy(List<SortOrder> keys, Dialect dialect) {
        checkSort(keys);
        StringBuilder b = new StringBuilder();
        boolean lastDescending = false;
        for (SortOrder k : keys) {
            IndexedColumn c = IndexedColumn.byPropId(PropTag.id(k.propTag()));
            if (c == null) {
                return Optional.empty();
            }
            lastDescending = k.direction() == SortOrder.TABLE_SORT_DESCEND;
            b.append(dialect.orderKey(c, lastDescending)).append(", ");
        }
        b.append(lastDescending ? "id DESC" : "id");
        return Optional.of(b.toString());
    }

    /**
     * @param keys sort keys
     * @throws MapiException as {@link #orderBy}
     */
    public static void checkSort(List<SortOrder> keys) {
        if (keys.size() > MAX_SORT_KEYS) {
            throw new MapiException(HResult.MAPI_E_TOO_COMPLEX, "at most " + MAX_SORT_KEYS
                    + " sort keys are supported, got " + keys.size());
        }
        for (SortOrder k : keys) {
            if (k == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "null sort key");
            }
            if ((PropTag.type(k.propTag()) & PropType.MV_INSTANCE) != 0) {
                throw new MapiException(HResult.MAPI_E_TOO_COMPLEX, "sorting on " + PropTag.toString(k.propTag())
                        + " with MV_INSTANCE (one row per value) is not supported by contents tables");
            }
            if (k.direction() != SortOrder.TABLE_SORT_ASCEND && k.direction() != SortOrder.TABLE_SORT_DESCEND) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "sort direction " + k.direction()
                        + " is neither TABLE_SORT_ASCEND nor TABLE_SORT_DESCEND");
            }
        }
    }

    // ---- translation -----------------------------------------------------------------------------------------

    private static boolean emit(Restriction r, Dialect d, StringBuilder sql, List<Object> params) {
        if (r instanceof Restriction.And a) {
            return emitList(a.children(), " AND ", TRUE, d, sql, params);
        }
        if (r instanceof Restriction.Or o) {
            return emitList(o.children(), " OR ", FALSE, d, sql, params);
        }
        if (r instanceof Restriction.Not n) {
            sql.append("(NOT ");
            if (!emit(n.child(), d, sql, params)) {
                return false;
            }
            sql.append(')');
            return true;
        }
        if (r instanceof Restriction.Comment c) {
            if (c.child() == null) {
                sql.append(TRUE);
                return true;
            }
            return emit(c.child(), d, sql, params);
        }
        if (r instanceof Restriction.Property p) {
            return property(p, sql, params);
        }
        if (r instanceof Restriction.Content c) {
            return content(c, d, sql, params);
        }
        if (r instanceof Restriction.Exist e) {
            IndexedColumn c = IndexedColumn.byPropId(PropTag.id(e.propTag()));
            if (c == null) {
                return false;
            }
            sql.append('(').append(c.column()).append(" IS NOT NULL)");
            return true;
        }
        if (r instanceof Restriction.Bitmask b) {
            return bitmask(b, sql, params);
        }
        if (r instanceof Restriction.Size s) {
            return size(s, sql, params);
        }
        if (r instanceof Restriction.CompareProps cp) {
            return compareProps(cp, sql);
        }
        return false;
    }

    private static boolean emitList(List<Restriction> children, String op, String empty, Dialect d,
                                    StringBuilder sql, List<Object> params) {
        if (children.isEmpty()) {
            sql.append(empty);
            return true;
        }
        sql.append('(');
        for (int i = 0; i < children.size(); i++) {
            if (i > 0) {
                sql.append(op);
            }
            if (!emit(children.get(i), d, sql, params)) {
                return false;
            }
        }
        sql.append(')');
        return true;
    }

    private static boolean property(Restriction.Property p, StringBuilder sql, List<Object> params) {
        IndexedColumn c = IndexedColumn.byPropId(PropTag.id(p.propTag()));
        if (c == null) {
            return false;
        }
        PropValue v = p.value();
        if (PropType.isMultiValued(v.type()) || !c.accepts(v.type())) {
            sql.append(FALSE);
            return true;
        }
        sql.append('(').append(c.column()).append(" IS NOT NULL AND ").append(c.column()).append(' ')
                .append(op(p.relop())).append(" ?)");
        params.add(c.columnValue(v));
        return true;
    }

    private static boolean content(Restriction.Content r, Dialect d, StringBuilder sql, List<Object> params) {
        IndexedColumn c = IndexedColumn.byPropId(PropTag.id(r.propTag()));
        if (c == null) {
            return false;
        }
        int fuzzy = r.fuzzyLevel();
        if ((fuzzy & (Restriction.FL_LOOSE | Restriction.FL_IGNORENONSPACE)) != 0) {
            return false;
        }
        Object pattern = r.value().value();
        if (c.kind() != IndexedColumn.Kind.STRING || !(pattern instanceof String p)) {
            sql.append(FALSE);
            return true;
        }
        if (p.indexOf('\0') >= 0) {
            return false;
        }
        boolean ignoreCase = (fuzzy & Restriction.FL_IGNORECASE) != 0;
        String column = ignoreCase ? c.foldColumn() : c.column();
        String text = SortKeys.text(ignoreCase ? SortKeys.fold(p) : p);
        String operand = ignoreCase ? SortKeys.fold(p) : p;
        sql.append('(').append(column).append(" IS NOT NULL AND ");
        switch (fuzzy & 0xFFFF) {
            case Restriction.FL_FULLSTRING -> {
                sql.append(column).append(" = ?");
                params.add(text);
            }
            case Restriction.FL_PREFIX -> {
                sql.append("substr(").append(column).append(", 1, ?) = ?");
                params.add(operand.length());
                params.add(text);
            }
            case Restriction.FL_SUBSTRING -> {
                sql.append(d.contains(column));
                params.add(text);
            }
            default -> {
                return false;
            }
        }
        sql.append(')');
        return true;
    }

    private static boolean bitmask(Restriction.Bitmask b, StringBuilder sql, List<Object> params) {
        IndexedColumn c = IndexedColumn.byPropId(PropTag.id(b.propTag()));
        if (c == null) {
            return false;
        }
        if (c.kind() != IndexedColumn.Kind.INT) {
            sql.append(FALSE);
            return true;
        }
        sql.append('(').append(c.column()).append(" IS NOT NULL AND (").append(c.column()).append(" & ?) ")
                .append(b.relBmr() == Restriction.BMR_EQZ ? "= 0)" : "<> 0)");
        params.add(b.mask());
        return true;
    }

    private static boolean size(Restriction.Size s, StringBuilder sql, List<Object> params) {
        IndexedColumn c = IndexedColumn.byPropId(PropTag.id(s.propTag()));
        if (c == null) {
            return false;
        }
        String sizeExpr = switch (c.kind()) {
            case INT -> "4";
            case TIME -> "8";
            case STRING -> c.sizeColumn();
        };
        sql.append('(').append(c.column()).append(" IS NOT NULL AND ").append(sizeExpr).append(' ')
                .append(op(s.relop())).append(" ?)");
        params.add(s.cb());
        return true;
    }

    private static boolean compareProps(Restriction.CompareProps cp, StringBuilder sql) {
        IndexedColumn a = IndexedColumn.byPropId(PropTag.id(cp.propTag1()));
        IndexedColumn b = IndexedColumn.byPropId(PropTag.id(cp.propTag2()));
        if (a == null || b == null) {
            return false;
        }
        if (a.kind() != b.kind()) {
            sql.append(FALSE);
            return true;
        }
        sql.append('(').append(a.column()).append(" IS NOT NULL AND ").append(b.column()).append(" IS NOT NULL AND ")
                .append(a.column()).append(' ').append(op(cp.relop())).append(' ').append(b.column()).append(')');
        return true;
    }

    private static String op(int relop) {
        return switch (relop) {
            case Restriction.RELOP_LT -> "<";
            case Restriction.RELOP_LE -> "<=";
            case Restriction.RELOP_GT -> ">";
            case Restriction.RELOP_GE -> ">=";
            case Restriction.RELOP_EQ -> "=";
            case Restriction.RELOP_NE -> "<>";
            default -> throw new MapiException(HResult.MAPI_E_TOO_COMPLEX, "relop " + relop + " cannot be evaluated");
        };
    }

    private static Fragment join(List<Fragment> parts, String op, String empty) {
        if (parts.isEmpty()) {
            return new Fragment(empty, List.of());
        }
        StringBuilder sql = new StringBuilder("(");
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                sql.append(op);
            }
            sql.append(parts.get(i).sql());
            params.addAll(parts.get(i).params());
        }
        return new Fragment(sql.append(')').toString(), params);
    }
}
