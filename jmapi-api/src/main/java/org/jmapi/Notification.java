package org.jmapi;

import org.jmapi.prop.PropValue;
import org.jmapi.table.Row;

import java.util.List;

/**
 * NOTIFICATION: one event, with the structure MAPI pairs with its type (R-NTF-5). Entry ids inside are long-term
 * (R-NTF-4). Immutable.
 */
public sealed interface Notification {

    /** @return the fnev* event type */
    int eventType();

    /**
     * ERROR_NOTIFICATION, fnevCriticalError.
     *
     * @param entryId the object in error, may be null
     * @param scode   the error
     * @param flags   0 or MAPI_UNICODE
     * @param message a description, may be null
     */
    record Error(EntryId entryId, int scode, int flags, String message) implements Notification {
        @Override
        public int eventType() {
            return Flags.fnevCriticalError;
        }
    }

    /**
     * NEWMAIL_NOTIFICATION, fnevNewMail.
     *
     * @param entryId      the new message
     * @param parentId     the receive folder it arrived in
     * @param flags        0 or MAPI_UNICODE
     * @param messageClass its PR_MESSAGE_CLASS
     * @param messageFlags a copy of its PR_MESSAGE_FLAGS
     */
    record NewMail(EntryId entryId, EntryId parentId, int flags, String messageClass, int messageFlags)
            implements Notification {
        @Override
        public int eventType() {
            return Flags.fnevNewMail;
        }
    }

    /**
     * OBJECT_NOTIFICATION: fnevObjectCreated/Deleted/Modified/Moved/Copied and fnevSearchComplete.
     *
     * @param eventType   the fnev* value
     * @param entryId     the object
     * @param objectType  its MAPI_* object type
     * @param parentId    its parent folder, may be null
     * @param oldId       the former id (move/copy), may be null
     * @param oldParentId the former parent (move/copy), may be null
     * @param propTags    the properties that changed, may be empty
     */
    record ObjectEvent(int eventType, EntryId entryId, int objectType, EntryId parentId, EntryId oldId,
                       EntryId oldParentId, List<Integer> propTags) implements Notification {
        /**
         * Copies the tag list.
         *
         * @param eventType   the fnev* value
         * @param entryId     the object
         * @param objectType  its MAPI_* object type
         * @param parentId    its parent folder, may be null
         * @param oldId       the former id (move/copy), may be null
         * @param oldParentId the former parent (move/copy), may be null
         * @param propTags    the properties that changed; null is taken as empty
         */
        public ObjectEvent {
            propTags = propTags == null ? List.of() : List.copyOf(propTags);
        }
    }

    /**
     * TABLE_NOTIFICATION, fnevTableModified (R-TBL-9).
     *
     * @param tableEvent TABLE_ROW_ADDED etc.
     * @param hresult    the error for TABLE_ERROR, else S_OK
     * @param propIndex  PR_INSTANCE_KEY (or the index column) of the row; PR_NULL-tagged for events without a row
     * @param propPrior  the index value of the preceding row, or a PR_NULL-tagged value when the row is first
     * @param row        the row in the view's columns; empty for events without row data
     */
    record Table(int tableEvent, int hresult, PropValue propIndex, PropValue propPrior, Row row)
            implements Notification {
        @Override
        public int eventType() {
            return Flags.fnevTableModified;
        }
    }

    /**
     * STATUS_OBJECT_NOTIFICATION, fnevStatusObjectModified: raised by MAPI only (R-NTF-5).
     *
     * @param entryId the status object
     * @param values  its changed properties
     */
    record StatusObject(EntryId entryId, List<PropValue> values) implements Notification {
        /**
         * Copies the values.
         *
         * @param entryId the status object
         * @param values  its changed properties; not null
         */
        public StatusObject {
            values = List.copyOf(values);
        }

        @Override
        public int eventType() {
            return Flags.fnevStatusObjectModified;
        }
    }

    /**
     * EXTENDED_NOTIFICATION, fnevExtended.
     *
     * @param event provider-defined event
     * @param data  provider-defined bytes
     */
    record Extended(int event, byte[] data) implements Notification {
        /**
         * Copies the bytes.
         *
         * @param event provider-defined event
         * @param data  provider-defined bytes; not null
         */
        public Extended {
            data = data.clone();
        }

        @Override
        public int eventType() {
            return Flags.fnevExtended;
        }
    }
}
