package org.jmapi.store.engine;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.store.Attachment;
import org.jmapi.store.LargeValue;
import org.jmapi.store.MessageImage;
import org.jmapi.store.Recipient;
import org.jmapi.store.ValueStream;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules every storage engine applies to what it is asked to store, so that all engines accept and refuse the
 * same input with the same codes (the contract suite checks them): which values are storable, what a well-formed
 * message image is, which properties the storage maintains itself, and what may be set on a folder.
 *
 * <p>Pure functions; thread-safe.
 */
public final class ImageRules {
    private ImageRules() {}

    /** How deep embedded messages may nest (attachment inside embedded message inside attachment ...). */
    public static final int MAX_EMBEDDING_DEPTH = 16;
    /** PR_ASSOC_CONTENT_COUNT = 0x36170003. */
    public static final int PR_ASSOC_CONTENT_COUNT = 0x36170003;

    /**
     * Checks that a value can be stored: not PT_ERROR, PT_NULL, PT_OBJECT or PT_UNSPECIFIED (they describe an
     * absent or non-value property, R-PROP-2), not id 0xFFFF (PROP_ID_INVALID), and PT_ACTIONS only as bytes.
     *
     * @param v     the value
     * @param where what it belongs to, for the message
     * @throws MapiException MAPI_E_INVALID_PARAMETER or MAPI_E_TYPE_NO_SUPPORT with a message naming the property
     */
    public static void checkStorable(PropValue v, String where) {
        if (v == null) {
            throw invalid(where + ": null property value");
        }
        int base = PropType.base(v.type());
        if (base == PropType.PT_ERROR || base == PropType.PT_NULL || base == PropType.PT_OBJECT
                || base == PropType.PT_UNSPECIFIED) {
            throw invalid(where + ": " + PropTag.toString(v.tag()) + " has type " + PropType.name(v.type())
                    + ", which describes a missing or non-value property and cannot be stored");
        }
        if (v.id() == PropTag.PROP_ID_INVALID) {
            throw invalid(where + ": property id 0xFFFF (PROP_ID_INVALID) cannot be stored");
        }
        if (base == PropType.PT_ACTIONS && !(v.value() instanceof byte[])) {
            throw new MapiException(HResult.MAPI_E_TYPE_NO_SUPPORT, where + ": " + PropTag.toString(v.tag())
                    + " is PT_ACTIONS held as " + v.value().getClass().getName()
                    + "; only the binary form (byte[]) can be stored");
        }
    }

    /**
     * Validates a whole message image before anything is written.
     *
     * @param image the image
     * @throws MapiException MAPI_E_INVALID_PARAMETER (duplicate ids, duplicate PR_ROWID / PR_ATTACH_NUM, a PR_ROWID /
     *                       PR_ATTACH_NUM property that disagrees with its row, non-storable values, nesting deeper
     *                       than {@link #MAX_EMBEDDING_DEPTH}); MAPI_E_INVALID_TYPE / MAPI_E_BAD_VALUE for a
     *                       top-level table column property of the wrong type or holding U+0000
     */
    public static void validate(MessageImage image) {
        validate(image, "message", 0);
    }

    private static void validate(MessageImage image, String where, int depth) {
        if (depth > MAX_EMBEDDING_DEPTH) {
            throw invalid(where + ": embedded messages nest deeper than " + MAX_EMBEDDING_DEPTH + " levels");
        }
        checkObject(image.properties(), image.largeValues(), image.streams(), where);
        if (depth == 0) {
            for (PropValue v : image.properties()) {
                checkColumnType(v);
            }
            for (LargeValue v : image.largeValues()) {
                checkNotColumn(v.tag(), where, "held out of line");
            }
            for (ValueStream v : image.streams()) {
                checkNotColumn(v.tag(), where, "written from a stream");
            }
        }
        Set<Integer> rows = new HashSet<>();
        for (Recipient r : image.recipients()) {
            if (r == null) {
                throw invalid(where + ": null recipient row");
            }
            String rw = where + ", recipient row " + r.rowId();
            if (!rows.add(r.rowId())) {
                throw invalid(where + ": two recipient rows have PR_ROWID " + r.rowId());
            }
            checkNumber(r.properties(), PropTags.PR_ROWID, r.rowId(), rw);
            checkObject(r.properties(), List.of(), List.of(), rw);
        }
        Set<Integer> nums = new HashSet<>();
        for (Attachment a : image.attachments()) {
            if (a == null) {
                throw invalid(where + ": null attachment");
            }
            String aw = where + ", attachment " + a.attachNum();
            if (!nums.add(a.attachNum())) {
                throw invalid(where + ": two attachments have PR_ATTACH_NUM " + a.attachNum());
            }
            checkNumber(a.properties(), PropTags.PR_ATTACH_NUM, a.attachNum(), aw);
            checkObject(a.properties(), a.largeValues(), a.streams(), aw);
            if (a.embeddedMessage() != null) {
                validate(a.embeddedMessage(), aw + ", embedded message", depth + 1);
            }
        }
    }

    private static void checkObject(List<PropValue> props, List<LargeValue> large, List<ValueStream> streams,
                                    String where) {
        Set<Integer> ids = new HashSet<>();
        for (PropValue v : props) {
            checkStorable(v, where);
            unique(ids, v.tag(), where);
        }
        for (LargeValue v : large) {
            if (v == null) {
                throw invalid(where + ": null large value");
            }
            unique(ids, v.tag(), where);
        }
        for (ValueStream v : streams) {
            if (v == null) {
                throw invalid(where + ": null value stream");
            }
            unique(ids, v.tag(), where);
        }
    }

    private static void unique(Set<Integer> ids, int tag, String where) {
        if (!ids.add(PropTag.id(tag))) {
            throw invalid(where + ": property id " + String.format("0x%04X", PropTag.id(tag)) + " ("
                    + PropTag.toString(tag) + ") appears more than once");
        }
    }

    private static void checkNumber(List<PropValue> props, int numberTag, int number, String where) {
        for (PropValue v : props) {
            if (v.id() == PropTag.id(numberTag)
                    && !(v.type() == PropType.PT_LONG && v.asInt() == number)) {
                throw invalid(where + ": its " + PropTag.toString(numberTag) + " property (" + v
                        + ") disagrees with the row's number " + number);
            }
        }
    }

    /**
     * Checks a top-level message property that has an indexed column: it must have the column's type, and a string
     * must not contain U+0000 (MAPI strings end there, and database string functions stop there).
     *
     * @param v a top-level value
     * @throws MapiException MAPI_E_INVALID_TYPE or MAPI_E_BAD_VALUE
     */
    public static void checkColumnType(PropValue v) {
        IndexedColumn c = IndexedColumn.byPropId(v.id());
        if (c == null) {
            return;
        }
        if (!c.accepts(v.type())) {
            throw new MapiException(HResult.MAPI_E_INVALID_TYPE, PropTag.toString(v.tag()) + " must be "
                    + c.acceptedTypes() + ", not " + PropType.name(v.type()));
        }
        if (c.kind() == IndexedColumn.Kind.STRING && ((String) v.value()).indexOf('\0') >= 0) {
            throw new MapiException(HResult.MAPI_E_BAD_VALUE, PropTag.toString(v.tag())
                    + " contains U+0000; MAPI strings end at the first NUL character");
        }
    }

    private static void checkNotColumn(int tag, String where, String how) {
        if (IndexedColumn.byPropId(PropTag.id(tag)) != null) {
            throw invalid(where + ": " + PropTag.toString(tag) + " is a contents-table column and is always "
                    + "stored inline; it cannot be " + how);
        }
    }

    /**
     * @param r a recipient row
     * @return its properties without PR_ROWID (which the storage keeps as the row's number)
     */
    public static List<PropValue> recipientProperties(Recipient r) {
        return without(r.properties(), PropTags.PR_ROWID);
    }

    /**
     * @param a an attachment
     * @return its inline properties without PR_ATTACH_NUM (which the storage keeps as the attachment's number)
     */
    public static List<PropValue> attachmentProperties(Attachment a) {
        return without(a.properties(), PropTags.PR_ATTACH_NUM);
    }

    /**
     * The top-level properties to store for a message: the caller's, with the ones the storage maintains replaced
     * (PR_MESSAGE_FLAGS' MSGFLAG_ASSOCIATED and MSGFLAG_SUBMIT bits, PR_SUBMIT_FLAGS, PR_MESSAGE_SIZE).
     * PR_MESSAGE_FLAGS
     * is always present afterwards.
     *
     * @param props       the caller's top-level properties
     * @param associated  whether the message is associated
     * @param queued      whether it is in the outgoing queue
     * @param submitFlags the queue's SUBMITFLAG_* bits (used when queued)
     * @param size        PR_MESSAGE_SIZE, or null to leave it out (before the size is known)
     * @return the properties to store
     */
    public static List<PropValue> withMaintained(List<PropValue> props, boolean associated, boolean queued,
                                                 int submitFlags, Integer size) {
        int flags = 0;
        List<PropValue> out = new ArrayList<>(props.size() + 3);
        int flagsAt = -1;
        for (PropValue v : props) {
            int id = v.id();
            if (id == PropTag.id(PropTags.PR_MESSAGE_SIZE) || id == PropTag.id(PropTags.PR_SUBMIT_FLAGS)) {
                continue;
            }
            if (id == PropTag.id(PropTags.PR_MESSAGE_FLAGS)) {
                flags = v.asInt();
                flagsAt = out.size();
                out.add(v);
                continue;
            }
            out.add(v);
        }
        flags &= ~(Flags.MSGFLAG_ASSOCIATED | Flags.MSGFLAG_SUBMIT);
        if (associated) {
            flags |= Flags.MSGFLAG_ASSOCIATED;
        }
        if (queued) {
            flags |= Flags.MSGFLAG_SUBMIT;
        }
        PropValue f = PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS, flags);
        if (flagsAt >= 0) {
            out.set(flagsAt, f);
        } else {
            out.add(f);
        }
        if (queued) {
            out.add(PropValue.ofInt(PropTags.PR_SUBMIT_FLAGS, submitFlags & ~Flags.SUBMITFLAG_LOCKED));
        }
        if (size != null) {
            out.add(PropValue.ofInt(PropTags.PR_MESSAGE_SIZE, size));
        }
        return out;
    }

    /**
     * @param props properties
     * @param tag   a tag; only its id matters
     * @return the value with that id, or null
     */
    public static PropValue find(List<PropValue> props, int tag) {
        int id = PropTag.id(tag);
        for (PropValue v : props) {
            if (v.id() == id) {
                return v;
            }
        }
        return null;
    }

    /**
     * @param props properties
     * @param v     a value
     * @return the list with {@code v} in place of the value with its id (appended when absent)
     */
    public static List<PropValue> with(List<PropValue> props, PropValue v) {
        List<PropValue> out = new ArrayList<>(props.size() + 1);
        boolean replaced = false;
        for (PropValue p : props) {
            if (p.id() == v.id()) {
                if (!replaced) {
                    out.add(v);
                    replaced = true;
                }
            } else {
                out.add(p);
            }
        }
        if (!replaced) {
            out.add(v);
        }
        return out;
    }

    /**
     * @param props properties
     * @param tag   a tag; only its id matters
     * @return the list without values of that id
     */
    public static List<PropValue> without(List<PropValue> props, int tag) {
        int id = PropTag.id(tag);
        List<PropValue> out = new ArrayList<>(props.size());
        for (PropValue p : props) {
            if (p.id() != id) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Applies a SetProps / DeleteProps to a stored property list (objects that commit at once, R-PROP-5).
     *
     * @param current    the stored list
     * @param set        values to set
     * @param deleteTags tags to delete (ids matter)
     * @param where      what the list belongs to, for messages
     * @return the new list
     */
    public static List<PropValue> apply(List<PropValue> current, List<PropValue> set, List<Integer> deleteTags,
                                        String where) {
        List<PropValue> out = new ArrayList<>(current);
        for (Integer t : deleteTags) {
            if (t == null) {
                throw invalid(where + ": null tag to delete");
            }
            out = without(out, t);
        }
        for (PropValue v : set) {
            checkStorable(v, where);
            out = with(out, v);
        }
        return out;
    }

    /**
     * Checks a property a caller wants to keep in a folder's property list: storable, and not one the storage
     * keeps elsewhere (PR_DISPLAY_NAME, PR_COMMENT, PR_FOLDER_TYPE have their own calls; the counts are computed).
     *
     * @param tag the property tag
     * @throws MapiException MAPI_E_INVALID_PARAMETER naming the call to use instead
     */
    public static void checkFolderProperty(int tag) {
        int id = PropTag.id(tag);
        if (id == PropTag.id(PropTags.PR_DISPLAY_NAME)) {
            throw invalid("PR_DISPLAY_NAME of a folder is changed with renameFolder, not as a folder property");
        }
        if (id == PropTag.id(PropTags.PR_COMMENT)) {
            throw invalid("PR_COMMENT of a folder is changed with setFolderComment, not as a folder property");
        }
        if (id == PropTag.id(PropTags.PR_FOLDER_TYPE)) {
            throw invalid("PR_FOLDER_TYPE is fixed when the folder is created");
        }
        if (id == PropTag.id(PropTags.PR_CONTENT_COUNT) || id == PropTag.id(PropTags.PR_CONTENT_UNREAD)
                || id == PropTag.id(PropTags.PR_SUBFOLDERS) || id == PropTag.id(PR_ASSOC_CONTENT_COUNT)) {
            throw invalid(PropTag.toString(tag) + " is computed by the store and cannot be set");
        }
    }

    /**
     * Normalises a folder name: it must not be blank.
     *
     * @param name the name
     * @return the name
     * @throws MapiException MAPI_E_INVALID_PARAMETER for a null or blank name
     */
    public static String checkFolderName(String name) {
        if (name == null || name.isBlank()) {
            throw invalid("a folder needs a non-blank display name");
        }
        if (name.indexOf('\0') >= 0) {
            throw new MapiException(HResult.MAPI_E_BAD_VALUE, "a folder name cannot contain U+0000");
        }
        return name;
    }

    /**
     * @param name a folder name
     * @return the key sibling names must not share: the name folded as FL_IGNORECASE folds it
     */
    public static String folderNameKey(String name) {
        return SortKeys.fold(name);
    }

    private static MapiException invalid(String message) {
        return new MapiException(HResult.MAPI_E_INVALID_PARAMETER, message);
    }

    /**
     * A stream opened on a property must name the type it is stored with (IMAPIProp::OpenProperty).
     *
     * @param stored    the stored tag
     * @param requested the tag asked for
     * @throws MapiException MAPI_E_INVALID_TYPE when the types differ
     */
    public static void checkSameType(int stored, int requested) {
        if (PropTag.type(stored) != PropTag.type(requested)) {
            throw new MapiException(HResult.MAPI_E_INVALID_TYPE, "the property is stored as "
                    + PropTag.toString(stored) + ", not as " + PropTag.toString(requested));
        }
    }
}
