package org.jmapi.store;

import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.store.engine.PropCodec;
import org.jmapi.store.engine.RowOrder;
import org.jmapi.table.Restriction;
import org.jmapi.table.Restrictions;
import org.jmapi.table.RowSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The answer a contents query must give, computed the slow, obvious way: every message of the folder loaded whole
 * through {@link Storage#loadMessage} (out-of-line values read back through their streams), sorted with the
 * documented order and filtered with {@link Restrictions#scan} in that order. No SQL involved.
 */
final class ReferenceContents {
    private ReferenceContents() {}

    /** A loaded message as restrictions see it. */
    record Row(long id, RowSource source) {}

    static List<Row> rows(Storage storage, long folderId, boolean associated) {
        List<Row> rows = new ArrayList<>();
        for (MessageRow r : storage.query(ContentsQuery.of(folderId).withAssociated(associated))) {
            StoredMessage m = storage.loadMessage(r.id());
            rows.add(new Row(r.id(), source(storage, m.image())));
        }
        return rows;
    }

    private static RowSource source(Storage storage, MessageImage image) {
        Map<Integer, PropValue> values = new HashMap<>();
        for (PropValue v : image.properties()) {
            values.put(v.id(), v);
        }
        for (LargeValue v : image.largeValues()) {
            values.put(PropTag.id(v.tag()), read(storage, v));
        }
        List<RowSource> recipients = new ArrayList<>();
        for (Recipient r : image.recipients()) {
            recipients.add(RowSource.of(r.row()));
        }
        List<RowSource> attachments = new ArrayList<>();
        for (Attachment a : image.attachments()) {
            List<PropValue> row = new ArrayList<>(a.row());
            for (LargeValue v : a.largeValues()) {
                row.add(read(storage, v));
            }
            attachments.add(RowSource.of(row));
        }
        return new RowSource() {
            @Override
            public PropValue get(int propTag) {
                return values.get(PropTag.id(propTag));
            }

            @Override
            public List<RowSource> subObjects(int tag) {
                return tag == PropTags.PR_MESSAGE_RECIPIENTS ? recipients
                        : tag == PropTags.PR_MESSAGE_ATTACHMENTS ? attachments : List.of();
            }
        };
    }

    static PropValue read(Storage storage, LargeValue v) {
        try (InputStream in = storage.openValueStream(v)) {
            byte[] bytes = in.readAllBytes();
            int type = PropTag.type(v.tag());
            return type == PropType.PT_BINARY ? PropValue.ofBinary(v.tag(), bytes)
                    : PropValue.ofString(v.tag(), PropCodec.streamString(type, bytes, false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the ids {@link Storage#query} must return for {@code q}, in order */
    static List<Long> expected(List<Row> rows, ContentsQuery q) {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(RowOrder.comparator(q.sortOrder(), (r, tag) -> r.source().get(tag), Row::id));
        Predicate<RowSource> filter = Restrictions.scan(q.restriction());
        List<Long> out = new ArrayList<>();
        int skipped = 0;
        for (Row r : sorted) {
            if (out.size() >= q.limit()) {
                break;
            }
            if (!filter.test(r.source())) {
                continue;
            }
            if (skipped++ < q.offset()) {
                continue;
            }
            out.add(r.id());
        }
        return out;
    }

    /** @return the count {@link Storage#count} must return: a scan in id order */
    static int expectedCount(List<Row> rows, Restriction r) {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort((a, b) -> Long.compare(a.id(), b.id()));
        Predicate<RowSource> filter = Restrictions.scan(r);
        int n = 0;
        for (Row row : sorted) {
            if (filter.test(row.source())) {
                n++;
            }
        }
        return n;
    }
}
