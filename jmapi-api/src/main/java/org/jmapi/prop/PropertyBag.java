package org.jmapi.prop;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The in-memory IMAPIProp semantics every jmapi object shares (R-PROP-1..4): an ordered map from property id to
 * value with the documented answers for missing, secure, computed and read-only properties.
 *
 * <p>A provider object keeps one bag and forwards {@code getProps}/{@code setProps}/{@code deleteProps}/
 * {@code getPropList} to it after its own validity check. <em>Computed</em> tags are maintained by the owner with
 * {@link #putComputed} and refused to callers with MAPI_E_COMPUTED; <em>protected</em> tags are refused with
 * MAPI_E_NO_ACCESS (R-PROF-4); a <em>read-only</em> bag refuses every change with MAPI_E_NO_ACCESS (R-MS-9).
 * Strings up to {@code inlineLimit} characters and binaries up to {@code inlineLimit} bytes come back inline;
 * larger ones are PT_ERROR / MAPI_E_NOT_ENOUGH_MEMORY in an explicit {@code getProps} (the caller opens them as a
 * stream instead).
 *
 * <p>Thread-safe: every method synchronises on the bag. Not a {@link org.jmapi.MapiObject}: it has no lifetime
 * of its own.
 */
public final class PropertyBag {
    /** The default inline limit: unlimited. */
    public static final int NO_LIMIT = Integer.MAX_VALUE;

    /** The stored values by property id, in insertion order; guarded by {@code this}. */
    private final Map<Integer, PropValue> values = new LinkedHashMap<>();
    /** Ids written with {@link #putComputed}: callers get MAPI_E_COMPUTED; guarded by {@code this}. */
    private final Set<Integer> computedIds = new HashSet<>();
    /** Ids marked by {@link #protect}: callers get MAPI_E_NO_ACCESS (R-PROF-4); guarded by {@code this}. */
    private final Set<Integer> protectedIds = new HashSet<>();
    /** Longest string (chars) or binary (bytes) an explicit getProps returns inline. */
    private final int inlineLimit;
    /** Whether callers' changes are refused with MAPI_E_NO_ACCESS (R-MS-9). */
    private volatile boolean readOnly;
    /** Run after each successful caller change, outside the lock; guarded by {@code this}. */
    private Runnable onChange = () -> { };

    /** An empty, writable bag with no inline limit. */
    public PropertyBag() {
        this(NO_LIMIT);
    }

    /** @param inlineLimit longest string (chars) or binary (bytes) returned inline by an explicit getProps */
    public PropertyBag(int inlineLimit) {
        this.inlineLimit = inlineLimit;
    }

    /** @param readOnly whether callers may change the bag (R-MS-9); owners still can through {@link #put} */
    public void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    /** @return whether callers may change the bag */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** @param onChange run after every successful caller change (setProps/deleteProps), outside the lock */
    public synchronized void onChange(Runnable onChange) {
        this.onChange = onChange;
    }

    /**
     * Marks tags whose values callers may not set or delete: they get MAPI_E_NO_ACCESS problems (R-PROF-4).
     *
     * @param tags the tags (ids matter)
     */
    public synchronized void protect(int... tags) {
        for (int t : tags) {
            protectedIds.add(PropTag.id(t));
        }
    }

    /** @param tags tags that are no longer protected */
    public synchronized void unprotect(int... tags) {
        for (int t : tags) {
            protectedIds.remove(PropTag.id(t));
        }
    }

    /**
     * Owner-side write of a computed property: readable by callers, refused to them with MAPI_E_COMPUTED.
     *
     * @param v the value
     */
    public synchronized void putComputed(PropValue v) {
        computedIds.add(v.id());
        values.put(v.id(), v);
    }

    /**
     * Owner-side write that ignores read-only, protection and computed marks.
     *
     * @param v the value; PR_NULL and PT_ERROR values are ignored
     */
    public synchronized void put(PropValue v) {
        if (v.tag() != PropTag.PR_NULL && !v.isError()) {
            values.put(v.id(), v);
        }
    }

    /** @param vs values written as by {@link #put} */
    public synchronized void putAll(Collection<PropValue> vs) {
        vs.forEach(this::put);
    }

    /**
     * Owner-side removal.
     *
     * @param tag the tag (id matters)
     */
    public synchronized void remove(int tag) {
        values.remove(PropTag.id(tag));
    }

    /**
     * Owner-side read.
     *
     * @param tag the tag (id matters)
     * @return the stored value or null
     */
    public synchronized PropValue get(int tag) {
        return values.get(PropTag.id(tag));
    }

    /** @return a copy of every stored value, secure ones included, in insertion order */
    public synchronized List<PropValue> snapshot() {
        return new ArrayList<>(values.values());
    }

    /**
     * Owner-side: replaces every value with {@code vs} (a transacted object rolling back, say).
     *
     * @param vs the new values, written as by {@link #put} (PR_NULL and PT_ERROR values are ignored)
     */
    public synchronized void replaceAll(Collection<PropValue> vs) {
        values.clear();
        vs.forEach(this::put);
    }

    /**
     * IMAPIProp::GetProps semantics (R-PROP-1, R-PROF-3).
     *
     * @param tags  the wanted tags or null for all non-secure ones
     * @param flags 0 or MAPI_UNICODE
     * @return the answer
     */
    public synchronized PropValues getProps(int[] tags, int flags) {
        Flags.checkKnown(flags, Flags.MAPI_UNICODE, "GetProps");
        if (tags == null) {
            List<PropValue> all = new ArrayList<>();
            for (PropValue v : values.values()) {
                if (!PropTag.isSecure(v.tag())) {
                    all.add(v.type() == PropType.PT_OBJECT
                            ? PropValue.error(v.tag(), HResult.MAPI_E_NOT_ENOUGH_MEMORY) : v);
                }
            }
            return PropValues.of(all);
        }
        if (tags.length == 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "GetProps: the tag array has no entries");
        }
        List<PropValue> out = new ArrayList<>(tags.length);
        for (int tag : tags) {
            out.add(lookup(tag));
        }
        return PropValues.of(out);
    }

    /**
     * One entry of an explicit GetProps (R-PROP-1): the stored value, converted between string flavours when asked;
     * PT_ERROR with the requested tag's id when missing or of another type (MAPI_E_NOT_FOUND), PT_OBJECT or longer
     * than the inline limit (MAPI_E_NOT_ENOUGH_MEMORY).
     *
     * @param tag the requested tag; PT_UNSPECIFIED matches any type
     * @return the value, or a PT_ERROR value
     */
    private PropValue lookup(int tag) {
        PropValue v = values.get(PropTag.id(tag));
        if (v == null) {
            return PropValue.error(tag, HResult.MAPI_E_NOT_FOUND);
        }
        int want = PropTag.type(tag);
        if (want != PropType.PT_UNSPECIFIED && want != v.type()) {
            boolean strings = (want == PropType.PT_STRING8 || want == PropType.PT_UNICODE)
                    && (v.type() == PropType.PT_STRING8 || v.type() == PropType.PT_UNICODE);
            boolean mvStrings = (want == PropType.PT_MV_STRING8 || want == PropType.PT_MV_UNICODE)
                    && (v.type() == PropType.PT_MV_STRING8 || v.type() == PropType.PT_MV_UNICODE);
            if (!strings && !mvStrings) {
                return PropValue.error(tag, HResult.MAPI_E_NOT_FOUND);
            }
            v = PropValue.of(PropTag.withType(v.tag(), want), v.value());
        }
        if (v.type() == PropType.PT_OBJECT) {
            return PropValue.error(tag, HResult.MAPI_E_NOT_ENOUGH_MEMORY);
        }
        Object raw = v.value();
        if ((raw instanceof String s && s.length() > inlineLimit) || (raw instanceof byte[] b && b.length > inlineLimit)) {
            return PropValue.error(tag, HResult.MAPI_E_NOT_ENOUGH_MEMORY);
        }
        return v;
    }

    /**
     * IMAPIProp::SetProps semantics (R-PROP-2).
     *
     * @param in the values
     * @return the problems
     */
    public List<PropProblem> setProps(List<PropValue> in) {
        List<PropProblem> problems = new ArrayList<>();
        Runnable notify;
        synchronized (this) {
            if (in == null || in.isEmpty()) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "SetProps: no values");
            }
            for (PropValue v : in) {
                if (v.type() == PropType.PT_OBJECT) {
                    throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                            "SetProps: PT_OBJECT properties are set through OpenProperty: " + PropTag.toString(v.tag()));
                }
            }
            if (readOnly) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS, "SetProps: the object is read-only");
            }
            for (int i = 0; i < in.size(); i++) {
                PropValue v = in.get(i);
                if (v.tag() == PropTag.PR_NULL || v.isError()) {
                    continue;
                }
                if (computedIds.contains(v.id())) {
                    problems.add(new PropProblem(i, v.tag(), HResult.MAPI_E_COMPUTED));
                } else if (protectedIds.contains(v.id())) {
                    problems.add(new PropProblem(i, v.tag(), HResult.MAPI_E_NO_ACCESS));
                } else {
                    values.put(v.id(), v);
                }
            }
            notify = onChange;
        }
        notify.run();
        return problems;
    }

    /**
     * IMAPIProp::DeleteProps semantics (R-PROP-3).
     *
     * @param tags the tags
     * @return the problems
     */
    public List<PropProblem> deleteProps(int[] tags) {
        List<PropProblem> problems = new ArrayList<>();
        Runnable notify;
        synchronized (this) {
            if (tags == null || tags.length == 0) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "DeleteProps: no tags");
            }
            if (readOnly) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS, "DeleteProps: the object is read-only");
            }
            for (int i = 0; i < tags.length; i++) {
                int id = PropTag.id(tags[i]);
                if (computedIds.contains(id)) {
                    problems.add(new PropProblem(i, tags[i], HResult.MAPI_E_COMPUTED));
                } else if (protectedIds.contains(id)) {
                    problems.add(new PropProblem(i, tags[i], HResult.MAPI_E_NO_ACCESS));
                } else if (values.remove(id) == null) {
                    problems.add(new PropProblem(i, tags[i], HResult.MAPI_E_NOT_FOUND));
                }
            }
            notify = onChange;
        }
        notify.run();
        return problems;
    }

    /**
     * Why a caller could not change a property now (for IMAPIProp::OpenProperty with MAPI_MODIFY, R-PROP-6).
     *
     * @param tag the property; only its id matters
     * @return 0 when a caller may set it; MAPI_E_NO_ACCESS for a read-only bag or a protected property;
     *         MAPI_E_COMPUTED for a computed one
     */
    public synchronized int writeProblem(int tag) {
        int id = PropTag.id(tag);
        if (readOnly || protectedIds.contains(id)) {
            return HResult.MAPI_E_NO_ACCESS;
        }
        return computedIds.contains(id) ? HResult.MAPI_E_COMPUTED : 0;
    }

    /**
     * IMAPIProp::GetPropList semantics (R-PROP-4).
     *
     * @param flags 0 or MAPI_UNICODE
     * @return the tags of every non-secure property
     */
    public synchronized int[] getPropList(int flags) {
        Flags.checkKnown(flags, Flags.MAPI_UNICODE, "GetPropList");
        return values.values().stream().filter(v -> !PropTag.isSecure(v.tag())).mapToInt(PropValue::tag).toArray();
    }
}
