package org.jmapi.store;

import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of a message's recipient table as stored (IMessage::ModifyRecipients, R-FM-3): its PR_ROWID and its
 * properties. Recipient values are always stored inline. Immutable.
 *
 * @param rowId      PR_ROWID, unique within the message
 * @param properties the row's other properties (a PR_ROWID entry here, if any, must equal {@code rowId} and is
 *                   dropped)
 */
public record Recipient(int rowId, List<PropValue> properties) {
    /**
     * Copies the list.
     *
     * @param rowId PR_ROWID, unique within the message
     * @param properties the row's other properties (a PR_ROWID entry here, if any, must equal {@code rowId} and is
     *     dropped)
     */
    public Recipient {
        properties = List.copyOf(properties);
    }

    /** @return the properties followed by PR_ROWID: the row as a recipient table shows it */
    public List<PropValue> row() {
        List<PropValue> row = new ArrayList<>(properties.size() + 1);
        for (PropValue v : properties) {
            if (v.id() != PropTag.id(PropTags.PR_ROWID)) {
                row.add(v);
            }
        }
        row.add(PropValue.ofInt(PropTags.PR_ROWID, rowId));
        return row;
    }
}
