package org.jmapi.store.engine;

import org.jmapi.store.Attachment;
import org.jmapi.store.LargeValue;
import org.jmapi.store.MessageImage;
import org.jmapi.store.Recipient;
import org.jmapi.prop.PropValue;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A row of a message's subobjects as both engines store them (their {@code subobject} tables): a recipient or an
 * attachment of the message or of an embedded message, or the embedded message of an attachment. Immutable.
 *
 * @param id     the row id (the object id of its out-of-line values and children)
 * @param parent the object it belongs to: 0 for the message itself, else an embedded message's row id (recipients,
 *               attachments) or an attachment's row id (its embedded message)
 * @param kind   {@link #RECIPIENT}, {@link #ATTACHMENT} or {@link #EMBEDDED}
 * @param num    PR_ROWID of a recipient, PR_ATTACH_NUM of an attachment
 * @param props  the encoded properties ({@link PropCodec})
 */
public record Subobject(long id, long parent, int kind, int num, byte[] props) {
    /** A recipient. */
    public static final int RECIPIENT = 1;
    /** An attachment. */
    public static final int ATTACHMENT = 2;
    /** The embedded message of an attachment (PR_ATTACH_DATA_OBJ). */
    public static final int EMBEDDED = 3;

    /**
     * @param rs a row whose first five columns are {@code id, parent_id, kind, num, props}
     * @return the subobject
     * @throws SQLException when the row cannot be read
     */
    public static Subobject of(ResultSet rs) throws SQLException {
        return new Subobject(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getBytes(5));
    }

    /**
     * Assembles the image of a message or of an embedded message from its rows.
     *
     * @param objectId the object: 0 for the message, else the embedded message's row id
     * @param props    its own properties
     * @param large    out-of-line values by object id
     * @param children subobject rows by parent
     * @return the image, embedded messages included
     */
    public static MessageImage image(long objectId, List<PropValue> props, Map<Long, List<LargeValue>> large,
                                     Map<Long, List<Subobject>> children) {
        List<Recipient> recipients = new ArrayList<>();
        List<Attachment> attachments = new ArrayList<>();
        for (Subobject s : children.getOrDefault(objectId, List.of())) {
            if (s.kind() == RECIPIENT) {
                recipients.add(new Recipient(s.num(), PropCodec.decode(s.props())));
            } else if (s.kind() == ATTACHMENT) {
                MessageImage embedded = null;
                for (Subobject e : children.getOrDefault(s.id(), List.of())) {
                    if (e.kind() == EMBEDDED) {
                        embedded = image(e.id(), PropCodec.decode(e.props()), large, children);
                    }
                }
                attachments.add(new Attachment(s.num(), PropCodec.decode(s.props()),
                        large.getOrDefault(s.id(), List.of()), List.of(), embedded));
            }
        }
        return new MessageImage(props, large.getOrDefault(objectId, List.of()), List.of(), recipients, attachments);
    }
}
