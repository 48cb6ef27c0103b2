package org.jmapi.transport.inbound;

import org.jmapi.EntryId;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.Message;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MapiSupport;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Restriction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds out whether a received message is already in its folder, so that a message fetched a second time (the
 * store committed it, but the server never heard that it may delete it: a crash or a cut connection between
 * SaveChanges and POP3 QUIT / IMAP EXPUNGE) does not show up twice.
 *
 * <p>An <em>exact duplicate</em> is a message in the same folder with the same PR_INTERNET_MESSAGE_ID and the same
 * PR_TRANSPORT_MESSAGE_HEADERS: the same bytes of header as received, Received lines and all, so a message that
 * really arrived twice (two deliveries, or a list that sent it again) is kept. A message without a Message-ID is
 * never a duplicate. The folder is the one the spooler created the message in (its PR_PARENT_ENTRYID), opened through
 * {@link MapiSupport#openEntry} and asked with a contents-table restriction (PR_SUBJECT first, which the store can
 * answer from an index, then the Message-ID and the header text).
 *
 * <p>When the question cannot be answered (the store refuses, the header is too large to read back) the answer is
 * "not a duplicate": the message is saved, and mail is delivered at least once rather than lost. <b>Threads:</b> the
 * calling thread; stateless.
 */
public final class DuplicateCheck {
    private DuplicateCheck() {
    }

    /**
     * @param support the transport logon's support object
     * @param message the received message, written but not yet saved
     * @return whether its folder already holds an exact duplicate of it
     */
    public static boolean alreadyStored(MapiSupport support, Message message) {
        try {
            List<PropValue> props = message.getProps(new int[] {PropTags.PR_INTERNET_MESSAGE_ID,
                    PropTags.PR_TRANSPORT_MESSAGE_HEADERS, PropTags.PR_SUBJECT, PropTags.PR_PARENT_ENTRYID}, 0)
                    .values();
            Optional<PropValue> id = InboundSettings.find(props, PropTags.PR_INTERNET_MESSAGE_ID);
            Optional<PropValue> headers = InboundSettings.find(props, PropTags.PR_TRANSPORT_MESSAGE_HEADERS);
            Optional<PropValue> subject = InboundSettings.find(props, PropTags.PR_SUBJECT);
            Optional<PropValue> parent = InboundSettings.find(props, PropTags.PR_PARENT_ENTRYID);
            if (id.isEmpty() || id.get().asString().isBlank() || headers.isEmpty() || parent.isEmpty()) {
                return false;
            }
            List<Restriction> all = new ArrayList<>();
            all.add(subject.isPresent()
                    ? new Restriction.Property(Restriction.RELOP_EQ, subject.get().tag(), subject.get())
                    : new Restriction.Not(new Restriction.Exist(PropTags.PR_SUBJECT)));
            all.add(new Restriction.Property(Restriction.RELOP_EQ, id.get().tag(), id.get()));
            all.add(new Restriction.Property(Restriction.RELOP_EQ, headers.get().tag(), headers.get()));
            MapiObject opened = support.openEntry(EntryId.of(parent.get().asBinary()), 0);
            try {
                if (!(opened instanceof MapiFolder folder)) {
                    return false;
                }
                try (MapiTable contents = folder.getContentsTable(0)) {
                    contents.setColumns(new int[] {PropTags.PR_INSTANCE_KEY}, 0);
                    contents.restrict(new Restriction.And(all), 0);
                    return contents.getRowCount(0) > 0;
                }
            } finally {
                opened.release();
            }
        } catch (MapiException e) {
            return false; // cannot tell: keep the message (at-least-once)
        }
    }
}
