package org.jmapi.store.provider;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiStream;
import org.jmapi.client.Message;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.store.Attachment;
import org.jmapi.store.LargeValue;
import org.jmapi.store.MessageImage;
import org.jmapi.store.Recipient;
import org.jmapi.store.Storage;
import org.jmapi.store.ValueStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * IMAPIProp::CopyTo and CopyProps (R-PROP-7) for the objects of the SQLite store: which properties and subobjects a
 * call selects, and how they reach the destination.
 *
 * <p><b>Values.</b> Inline values go through the destination's {@code setProps} in one call (its problems are the
 * copy's problems). Out-of-line values go, when the destination is a message or attachment of the <em>same store
 * file</em>, by reference (the save copies the chunks inside the store); otherwise through a stream opened on the
 * destination with MAPI_CREATE, piece by piece, never whole in memory; a destination that opens no streams gets values
 * up to 1 MiB through {@code setProps} and MAPI_E_NOT_ENOUGH_MEMORY problems beyond. Named properties are mapped
 * through their names when the destination is in another store. Properties the source computes (entry ids, record
 * keys, sizes, ...) are not copied; a copied PR_MESSAGE_FLAGS loses MSGFLAG_SUBMIT.
 *
 * <p><b>Subobjects.</b> A message's recipients replace the destination's (kept with MAPI_NOREPLACE when it has some);
 * its attachments are added to the destination's, each with its embedded message (given by reference inside one store
 * file, else through the destination attachment's PR_ATTACH_DATA_OBJ opened as a Message). Folders copy their contents
 * through CopyMessages and CopyFolder (see {@link SqliteFolder}).
 *
 * <p>Stateless; thread-safe.
 */
final class PropCopy {
    /** The flags CopyTo and CopyProps accept. */
    static final int FLAGS = Flags.MAPI_MOVE | Flags.MAPI_NOREPLACE | Flags.MAPI_DECLINE_OK | Flags.MAPI_DIALOG;
    /** Properties a message computes or the store maintains: never copied. */
    static final Set<Integer> MESSAGE_COMPUTED = Rows.ids(SqliteMessage.DERIVED);
    /** Properties an attachment computes: never copied. */
    static final Set<Integer> ATTACH_COMPUTED = Rows.ids(new int[] {PropTags.PR_ATTACH_NUM, PropTags.PR_OBJECT_TYPE,
        PropTags.PR_INSTANCE_KEY, PropTags.PR_RECORD_KEY});
    private static final int PIECE = 64 * 1024;

    private PropCopy() {}

    /**
     * What a call copies: CopyTo's exclusions or CopyProps' inclusions.
     *
     * @param excludedIds     ids CopyTo must not copy (empty for CopyProps)
     * @param excludedIfaces  interfaces whose subobjects CopyTo must not copy
     * @param include         CopyProps' tags, or null for CopyTo
     */
    record Selection(Set<Integer> excludedIds, List<Class<?>> excludedIfaces, int[] include) {
        /** Everything (subobjects inside a copied subobject are copied whole). */
        static final Selection ALL = new Selection(Set.of(), List.of(), null);

        /**
         * @param ifaces CopyTo's excluded interfaces, or null
         * @param tags   CopyTo's excluded tags, or null
         * @return the selection
         * @throws MapiException MAPI_E_INVALID_PARAMETER for an empty (non-null) tag array
         */
        static Selection exclude(List<Class<? extends MapiObject>> ifaces, int[] tags) {
            if (tags != null && tags.length == 0) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "CopyTo: the exclusion array is empty; pass null to exclude nothing");
            }
            Set<Integer> ids = new HashSet<>();
            if (tags != null) {
                for (int t : tags) {
                    ids.add(PropTag.id(t));
                }
            }
            List<Class<?>> l = new ArrayList<>();
            if (ifaces != null) {
                for (Class<?> c : ifaces) {
                    if (c == null) {
                        throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "CopyTo: a null excluded interface");
                    }
                    l.add(c);
                }
            }
            return new Selection(Set.copyOf(ids), List.copyOf(l), null);
        }

        /**
         * @param tags CopyProps' tags
         * @return the selection
         * @throws MapiException MAPI_E_INVALID_PARAMETER for a null or empty array
         */
        static Selection include(int[] tags) {
            if (tags == null || tags.length == 0) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "CopyProps: no properties to copy");
            }
            return new Selection(Set.of(), List.of(), tags.clone());
        }

        /** @return whether the property is copied */
        boolean property(int tag) {
            if (include == null) {
                return !excludedIds.contains(PropTag.id(tag));
            }
            for (int t : include) {
                if (PropTag.id(t) == PropTag.id(tag)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * @param tag   the PT_OBJECT property naming the subobjects (PR_MESSAGE_ATTACHMENTS, ...)
         * @param iface the subobjects' interface, or null when they have none (recipients)
         * @return whether they are copied
         */
        boolean subobjects(int tag, Class<?> iface) {
            if (!property(tag)) {
                return false;
            }
            if (iface != null) {
                for (Class<?> e : excludedIfaces) {
                    if (e.isAssignableFrom(iface)) {
                        return false; // excluding an interface excludes its derived ones (R-PROP-7)
                    }
                }
            }
            return true;
        }

        /** @return the problem index of a property: its place in CopyProps' array, else its place among those copied */
        int index(int tag, int position) {
            if (include != null) {
                for (int i = 0; i < include.length; i++) {
                    if (PropTag.id(include[i]) == PropTag.id(tag)) {
                        return i;
                    }
                }
            }
            return position;
        }

        /** @return the selection for the objects inside a copied subobject: whole, minus the excluded interfaces */
        Selection nested() {
            return new Selection(Set.of(), excludedIfaces, null);
        }
    }

    /**
     * Where copied values come from.
     *
     * @param storage the source's storage (out-of-line values are read from it)
     * @param file    the source's store key ({@link StoreFile#key()}; same store: values by reference, named ids as
     *                they are)
     * @param store   the source's logon, for the names of named properties
     */
    record Origin(Storage storage, String file, SqliteMsgStore store) {
        /** @param s a logon @return the origin of its objects */
        static Origin of(SqliteMsgStore s) {
            return new Origin(s.storage(), s.file().key(), s);
        }
    }

    /**
     * One property to copy: exactly one of {@code value}, {@code large}, {@code stream} is set.
     *
     * @param tag    the tag
     * @param value  an inline value
     * @param large  an out-of-line value of the origin's store
     * @param stream a value to read from a stream (committed by a stream, not saved yet)
     */
    record Item(int tag, PropValue value, LargeValue large, ValueStream stream) {
        static Item of(PropValue v) {
            return new Item(v.tag(), v, null, null);
        }
    }

    /**
     * What one copy did.
     *
     * @param problems   the per-property problems
     * @param copied     the tags copied without a problem (for MAPI_MOVE)
     * @param recipients whether the recipients were copied
     * @param attachments whether the attachments were copied
     */
    record Result(List<PropProblem> problems, List<Integer> copied, boolean recipients, boolean attachments) {}

    /**
     * The checks every CopyTo / CopyProps makes first (R-PROP-7).
     *
     * @param self  the source
     * @param iface the destination's interface
     * @param dest  the destination
     * @param flags the flags
     * @return the destination
     * @throws MapiException MAPI_E_INVALID_PARAMETER for a null interface or destination;
     *                       MAPI_E_INTERFACE_NOT_SUPPORTED when the destination does not implement it;
     *                       MAPI_E_NO_ACCESS when destination and source are one object; MAPI_E_DECLINE_COPY with
     *                       MAPI_DECLINE_OK for a destination of another provider; MAPI_E_UNKNOWN_FLAGS
     */
    static MapiProp check(BaseMapiObject self, Class<? extends MapiObject> iface, MapiObject dest, int flags,
                          String method) {
        Flags.checkKnown(flags, FLAGS, method);
        if (iface == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, method + ": the destination's interface is"
                    + " required");
        }
        if (dest == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, method + ": no destination");
        }
        if (!iface.isInstance(dest) || !(dest instanceof MapiProp p)) {
            throw new MapiException(HResult.MAPI_E_INTERFACE_NOT_SUPPORTED, method + ": the destination is not a "
                    + iface.getSimpleName());
        }
        if (dest == self) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, method + ": the destination is the source");
        }
        if ((flags & Flags.MAPI_DECLINE_OK) != 0 && !ours(dest)) {
            throw new MapiException(HResult.MAPI_E_DECLINE_COPY, method + ": the destination belongs to another"
                    + " provider and MAPI_DECLINE_OK was given");
        }
        return p;
    }

    /** @return whether an object belongs to an SQLite store (any file) */
    static boolean ours(MapiObject o) {
        return o instanceof StoreObject || o instanceof SqliteMsgStore;
    }

    /** @return the key of the store an object of a jmapi store belongs to, or null */
    static String fileOf(MapiObject o) {
        if (o instanceof StoreObject so) {
            return so.store.file().key();
        }
        if (o instanceof SqliteMsgStore ms) {
            return ms.file().key();
        }
        return null;
    }

    // ---- properties ----------------------------------------------------------------------------------------

    /**
     * @param props  inline values
     * @param large  out-of-line values
     * @param streams values to read from streams
     * @param skip   ids never copied (the source's computed properties)
     * @return the items, in that order
     */
    static List<Item> items(List<PropValue> props, List<LargeValue> large, List<ValueStream> streams,
                            Set<Integer> skip) {
        List<Item> out = new ArrayList<>();
        for (PropValue v : props) {
            if (skip.contains(v.id()) || v.isError() || v.type() == PropType.PT_OBJECT) {
                continue;
            }
            if (v.id() == PropTag.id(PropTags.PR_MESSAGE_FLAGS) && v.type() == PropType.PT_LONG) {
                v = PropValue.ofInt(v.tag(), v.asInt() & ~Flags.MSGFLAG_SUBMIT);
            }
            out.add(Item.of(v));
        }
        for (LargeValue v : large) {
            if (!skip.contains(PropTag.id(v.tag()))) {
                out.add(new Item(v.tag(), null, v, null));
            }
        }
        for (ValueStream s : streams) {
            if (!skip.contains(PropTag.id(s.tag()))) {
                out.add(new Item(s.tag(), null, null, s));
            }
        }
        return out;
    }

    /**
     * Copies properties to a destination: the heart of CopyTo / CopyProps.
     *
     * @param items     the source's properties, in the order problems are indexed by
     * @param origin    where they come from
     * @param dest      the destination
     * @param sel       the selection
     * @param flags     MAPI_NOREPLACE matters here
     * @param problems  receives the problems
     * @return the tags copied without a problem
     */
    static List<Integer> putItems(List<Item> items, Origin origin, MapiProp dest, Selection sel, int flags,
                                  List<PropProblem> problems) {
        Set<Integer> existing = new HashSet<>();
        if ((flags & Flags.MAPI_NOREPLACE) != 0) {
            for (int t : dest.getPropList(0)) {
                existing.add(PropTag.id(t));
            }
        }
        List<Item> chosen = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            if (sel.property(it.tag()) && !existing.contains(PropTag.id(it.tag()))) {
                chosen.add(it);
                positions.add(sel.index(it.tag(), i));
            }
        }
        if (sel.include() != null) {
            for (int i = 0; i < sel.include().length; i++) {
                int want = sel.include()[i];
                boolean present = PropTag.type(want) == PropType.PT_OBJECT;
                for (Item it : items) {
                    present |= PropTag.id(it.tag()) == PropTag.id(want);
                }
                if (!present) {
                    problems.add(new PropProblem(i, want, HResult.MAPI_E_NOT_FOUND));
                }
            }
        }
        Map<Integer, Integer> remap = namedIds(chosen, origin, dest, problems, positions);
        List<Integer> copied = new ArrayList<>();
        List<PropValue> inline = new ArrayList<>();
        List<Integer> inlinePositions = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            Item it = chosen.get(i);
            Integer to = remap.get(it.tag());
            if (to == null) {
                continue; // its name could not be mapped: a problem was recorded
            }
            if (it.value() != null) {
                inline.add(PropValue.of(to, it.value().value()));
                inlinePositions.add(positions.get(i));
            } else {
                int problem = putLarge(it, to, origin, dest);
                if (problem != 0) {
                    problems.add(new PropProblem(positions.get(i), it.tag(), problem));
                } else {
                    copied.add(it.tag());
                }
            }
        }
        if (!inline.isEmpty()) {
            List<PropProblem> p = dest.setProps(inline);
            Set<Integer> failed = new HashSet<>();
            for (PropProblem x : p) {
                problems.add(new PropProblem(inlinePositions.get(x.index()), x.tag(), x.scode()));
                failed.add(x.index());
            }
            for (int i = 0; i < inline.size(); i++) {
                if (!failed.contains(i)) {
                    copied.add(inline.get(i).tag());
                }
            }
        }
        problems.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return copied;
    }

    /**
     * @return for each chosen tag the tag to write at the destination (named properties mapped through their names
     *         when the destination is in another store); tags that cannot be mapped are missing, with a problem
     */
    private static Map<Integer, Integer> namedIds(List<Item> chosen, Origin origin, MapiProp dest,
                                                  List<PropProblem> problems, List<Integer> positions) {
        Map<Integer, Integer> out = new HashMap<>();
        boolean sameStore = origin.file().equals(fileOf(dest));
        List<Integer> named = new ArrayList<>();
        for (Item it : chosen) {
            if (sameStore || PropTag.id(it.tag()) < PropTag.PROP_ID_NAMED_MIN) {
                out.put(it.tag(), it.tag());
            } else {
                named.add(it.tag());
            }
        }
        if (named.isEmpty()) {
            return out;
        }
        int[] tags = named.stream().mapToInt(Integer::intValue).toArray();
        List<NamedProperty> names = origin.store().namesFromIds(tags);
        List<NamedProperty> known = new ArrayList<>();
        List<Integer> knownTags = new ArrayList<>();
        for (int i = 0; i < tags.length; i++) {
            if (names.get(i) == null) {
                problems.add(new PropProblem(positionOf(chosen, positions, tags[i]), tags[i],
                        HResult.MAPI_E_NOT_FOUND));
            } else {
                known.add(names.get(i));
                knownTags.add(tags[i]);
            }
        }
        if (known.isEmpty()) {
            return out;
        }
        int[] ids;
        try {
            ids = dest.getIdsFromNames(known, Flags.MAPI_CREATE);
        } catch (MapiException e) {
            for (int t : knownTags) {
                problems.add(new PropProblem(positionOf(chosen, positions, t), t, e.hresult()));
            }
            return out;
        }
        for (int i = 0; i < ids.length; i++) {
            int t = knownTags.get(i);
            if (PropTag.type(ids[i]) == PropType.PT_ERROR) {
                problems.add(new PropProblem(positionOf(chosen, positions, t), t, HResult.MAPI_E_NOT_FOUND));
            } else {
                out.put(t, PropTag.tag(PropTag.type(t), PropTag.id(ids[i])));
            }
        }
        return out;
    }

    private static int positionOf(List<Item> chosen, List<Integer> positions, int tag) {
        for (int i = 0; i < chosen.size(); i++) {
            if (chosen.get(i).tag() == tag) {
                return positions.get(i);
            }
        }
        return -1;
    }

    /**
     * Copies one out-of-line (or stream) value.
     *
     * @return 0, or the problem's SCODE
     */
    private static int putLarge(Item it, int to, Origin origin, MapiProp dest) {
        try {
            if (it.large() != null && origin.file().equals(fileOf(dest)) && to == it.tag()) {
                if (dest instanceof SqliteMessage m) {
                    m.keepLarge(it.large());
                    return 0;
                }
                if (dest instanceof SqliteAttach a) {
                    a.keepLarge(it.large());
                    return 0;
                }
            }
            return streamInto(it, to, origin, dest);
        } catch (MapiException e) {
            return e.hresult();
        }
    }

    private static InputStream open(Item it, Origin origin) {
        if (it.large() != null) {
            return origin.storage().openValueStream(it.large());
        }
        try {
            return it.stream().source().open();
        } catch (IOException e) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "reading " + PropTag.toString(it.tag())
                    + " failed: " + e.getMessage(), e);
        }
    }

    /** Writes a value through a stream opened on the destination, or through SetProps when it opens none. */
    private static int streamInto(Item it, int to, Origin origin, MapiProp dest) {
        MapiStream out;
        try {
            out = dest.openProperty(to, MapiStream.class, Flags.STGM_WRITE, Flags.MAPI_CREATE | Flags.MAPI_MODIFY);
        } catch (MapiException e) {
            if (e.hresult() != HResult.MAPI_E_NO_SUPPORT && e.hresult() != HResult.MAPI_E_INTERFACE_NOT_SUPPORTED) {
                throw e;
            }
            return setWhole(it, to, origin, dest);
        }
        try (out; InputStream in = open(it, origin)) {
            byte[] piece = new byte[PIECE];
            for (int n; (n = in.readNBytes(piece, 0, PIECE)) > 0; ) {
                out.write(piece, 0, n);
            }
            out.commit(Flags.STGC_DEFAULT);
            return 0;
        } catch (IOException e) {
            return HResult.MAPI_E_OBJECT_DELETED; // the source value vanished while it was copied
        }
    }

    /** A destination without streams: the value whole through SetProps, when it is at most 1 MiB. */
    private static int setWhole(Item it, int to, Origin origin, MapiProp dest) {
        long size = it.large() != null ? it.large().size() : -1;
        if (size > WorkingProps.LIMIT) {
            return HResult.MAPI_E_NOT_ENOUGH_MEMORY;
        }
        byte[] bytes;
        try (InputStream in = open(it, origin)) {
            bytes = in.readNBytes((int) WorkingProps.LIMIT + 1);
        } catch (IOException e) {
            return HResult.MAPI_E_OBJECT_DELETED;
        }
        if (bytes.length > WorkingProps.LIMIT) {
            return HResult.MAPI_E_NOT_ENOUGH_MEMORY;
        }
        List<PropProblem> p = dest.setProps(List.of(WorkingProps.valueOf(to, bytes)));
        return p.isEmpty() ? 0 : p.get(0).scode();
    }

    // ---- messages and attachments --------------------------------------------------------------------------

    /**
     * Copies a message image (a message's working state, a stored message, an embedded message) to a message.
     *
     * @param image    the source
     * @param origin   where its out-of-line values live
     * @param dest     the destination message
     * @param sel      the selection
     * @param flags    MAPI_NOREPLACE matters
     * @return what was copied
     */
    static Result copyMessage(MessageImage image, Origin origin, MapiProp dest, Selection sel, int flags) {
        List<PropProblem> problems = new ArrayList<>();
        List<Integer> copied = putItems(items(image.properties(), image.largeValues(), image.streams(),
                MESSAGE_COMPUTED), origin, dest, sel, flags, problems);
        boolean recipients = false;
        boolean attachments = false;
        if (dest instanceof Message m) {
            if (sel.subobjects(PropTags.PR_MESSAGE_RECIPIENTS, null) && !image.recipients().isEmpty()) {
                boolean keep = (flags & Flags.MAPI_NOREPLACE) != 0 && hasRecipients(m);
                if (!keep) {
                    List<List<PropValue>> rows = new ArrayList<>();
                    for (Recipient r : image.recipients()) {
                        List<PropValue> row = new ArrayList<>();
                        for (PropValue v : r.properties()) {
                            if (v.id() != PropTag.id(PropTags.PR_ROWID) && v.id() != PropTag.id(PropTags.PR_INSTANCE_KEY)) {
                                row.add(v);
                            }
                        }
                        rows.add(row);
                    }
                    m.modifyRecipients(0, rows);
                }
                recipients = true;
            }
            if (sel.subobjects(PropTags.PR_MESSAGE_ATTACHMENTS, Attach.class) && !image.attachments().isEmpty()) {
                for (Attachment a : image.attachments()) {
                    try (Attach target = m.createAttach(0)) {
                        copyAttachment(a, origin, target, sel.nested(), 0, problems);
                        target.saveChanges(0);
                    }
                }
                attachments = true;
            }
        }
        return new Result(problems, copied, recipients, attachments);
    }

    private static boolean hasRecipients(Message m) {
        try (var t = m.getRecipientTable(0)) {
            return t.getRowCount(0) > 0;
        }
    }

    /**
     * Copies an attachment (its properties, its data, its embedded message) to a destination attachment.
     *
     * @param a        the source attachment
     * @param origin   where its out-of-line values live
     * @param dest     the destination attachment
     * @param sel      the selection
     * @param flags    MAPI_NOREPLACE matters
     * @param problems receives the problems
     * @return the tags copied without a problem
     */
    static List<Integer> copyAttachment(Attachment a, Origin origin, MapiProp dest, Selection sel, int flags,
                                        List<PropProblem> problems) {
        List<Item> items = items(a.properties(), a.largeValues(), a.streams(), ATTACH_COMPUTED);
        List<Integer> copied = putItems(items, origin, dest, sel, flags, problems);
        MessageImage embedded = a.embeddedMessage();
        if (embedded != null && sel.subobjects(PropTags.PR_ATTACH_DATA_OBJ, Message.class)) {
            if (dest instanceof SqliteAttach sa && origin.file().equals(fileOf(dest))) {
                sa.putEmbedded(embedded);
            } else {
                try {
                    Message m = ((MapiProp) dest).openProperty(PropTags.PR_ATTACH_DATA_OBJ, Message.class, 0,
                            Flags.MAPI_CREATE | Flags.MAPI_MODIFY);
                    try (m) {
                        Result r = copyMessage(embedded, origin, m, sel, 0);
                        m.saveChanges(0);
                        if (!r.problems().isEmpty()) {
                            problems.add(new PropProblem(items.size(), PropTags.PR_ATTACH_DATA_OBJ,
                                    r.problems().get(0).scode()));
                        }
                    }
                } catch (MapiException e) {
                    problems.add(new PropProblem(items.size(), PropTags.PR_ATTACH_DATA_OBJ, e.hresult()));
                }
            }
        }
        return copied;
    }
}
