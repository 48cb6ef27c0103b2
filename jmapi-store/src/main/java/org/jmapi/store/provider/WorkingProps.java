package org.jmapi.store.provider;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.prop.PropertyBag;
import org.jmapi.store.LargeValue;
import org.jmapi.store.Storage;
import org.jmapi.store.engine.PropCodec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The working properties of a transacted object (a message or an attachment) between its load and its SaveChanges
 * (R-PROP-1..5): a {@link PropertyBag} for the values held in memory, and the values the storage keeps out of line
 * ({@link LargeValue}s), which are never loaded when the object is opened.
 *
 * <p>A large value is read from the store the first time a caller asks for it, if it is at most {@link #LIMIT}
 * bytes in its stream form; a larger one answers PT_ERROR / MAPI_E_NOT_ENOUGH_MEMORY (R-PROP-1: too large to
 * return inline). Setting or deleting a property with the same id drops the large value; an untouched one is kept by
 * reference when the object is saved ({@link #keptLarge()}), without passing through memory.
 *
 * <p><b>Threads:</b> thread-safe (the bag and this object synchronise independently; callers that need several
 * calls to be atomic synchronise on their object).
 */
final class WorkingProps {
    /** The largest out-of-line value (stream form, bytes) GetProps reads and returns inline. */
    static final long LIMIT = 1L << 20;

    private final Storage storage;
    private final PropertyBag bag = new PropertyBag();
    private final Set<Integer> computed = new HashSet<>();
    /** Out-of-line values still kept, by id; guarded by {@code this}. */
    private final Map<Integer, LargeValue> large = new LinkedHashMap<>();
    /** Out-of-line values read so far, by id; guarded by {@code this}. */
    private final Map<Integer, PropValue> loaded = new HashMap<>();

    /** @param storage where large values are read from */
    WorkingProps(Storage storage) {
        this.storage = storage;
    }

    /**
     * Replaces everything with a loaded state.
     *
     * @param values inline values
     * @param kept   out-of-line values
     */
    synchronized void load(List<PropValue> values, List<LargeValue> kept) {
        bag.replaceAll(values);
        computed.clear();
        large.clear();
        loaded.clear();
        for (LargeValue v : kept) {
            large.put(PropTag.id(v.tag()), v);
        }
    }

    /** @param readOnly whether callers' changes are refused with MAPI_E_NO_ACCESS */
    void setReadOnly(boolean readOnly) {
        bag.setReadOnly(readOnly);
    }

    /** @param tags ids callers may neither set nor delete (MAPI_E_NO_ACCESS) */
    void protect(int... tags) {
        bag.protect(tags);
    }

    /** @param v a value the object computes: readable, refused to callers with MAPI_E_COMPUTED */
    synchronized void putComputed(PropValue v) {
        computed.add(v.id());
        large.remove(v.id());
        bag.putComputed(v);
    }

    /** @param tag a computed property that no longer applies */
    synchronized void removeComputed(int tag) {
        computed.remove(PropTag.id(tag));
        bag.remove(tag);
    }

    /** @param v an owner-side write (ignores read-only and protection) */
    synchronized void put(PropValue v) {
        large.remove(v.id());
        bag.put(v);
    }

    /**
     * @param tag a tag
     * @return the inline value with its id, or null (large values are not read)
     */
    PropValue get(int tag) {
        return bag.get(tag);
    }

    /** IMAPIProp::GetProps (R-PROP-1), reading large values on demand. */
    synchronized PropValues getProps(int[] tags, int flags) {
        PropValues base = bag.getProps(tags, flags);
        if (large.isEmpty()) {
            return base;
        }
        List<PropValue> out = new ArrayList<>(base.values());
        if (tags == null) {
            for (LargeValue v : large.values()) {
                if (!PropTag.isSecure(v.tag())) {
                    out.add(read(v, v.tag()));
                }
            }
        } else {
            for (int i = 0; i < tags.length; i++) {
                LargeValue v = large.get(PropTag.id(tags[i]));
                if (v != null && out.get(i).isError()) {
                    out.set(i, read(v, tags[i]));
                }
            }
        }
        return PropValues.of(out);
    }

    /**
     * @param v    an out-of-line value
     * @param want the requested tag (its type may ask for the other string flavour)
     * @return the value, or PT_ERROR: MAPI_E_NOT_ENOUGH_MEMORY beyond {@link #LIMIT}, MAPI_E_NOT_FOUND for a type
     *         mismatch, MAPI_E_OBJECT_DELETED when the stored value was replaced meanwhile
     */
    private PropValue read(LargeValue v, int want) {
        int wantType = PropTag.type(want);
        if (wantType != PropType.PT_UNSPECIFIED && wantType != PropTag.type(v.tag())
                && !(Rows.isString(wantType) && Rows.isString(PropTag.type(v.tag())))) {
            return PropValue.error(want, HResult.MAPI_E_NOT_FOUND);
        }
        if (v.size() > LIMIT) {
            return PropValue.error(want, HResult.MAPI_E_NOT_ENOUGH_MEMORY);
        }
        PropValue value = loaded.get(PropTag.id(v.tag()));
        if (value == null) {
            try (InputStream in = storage.openValueStream(v)) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream((int) v.size());
                in.transferTo(buf);
                byte[] bytes = buf.toByteArray();
                int type = PropTag.type(v.tag());
                value = type == PropType.PT_BINARY ? PropValue.ofBinary(v.tag(), bytes)
                        : PropValue.ofString(v.tag(), PropCodec.streamString(type, bytes, false));
            } catch (MapiException e) {
                return PropValue.error(want, e.hresult());
            } catch (IOException e) {
                return PropValue.error(want, HResult.MAPI_E_OBJECT_DELETED);
            }
            loaded.put(PropTag.id(v.tag()), value);
        }
        if (wantType != PropType.PT_UNSPECIFIED && wantType != value.type()) {
            return PropValue.of(PropTag.withType(value.tag(), wantType), value.value());
        }
        return value;
    }

    /** IMAPIProp::SetProps (R-PROP-2); a set value replaces a large one with the same id. */
    synchronized List<PropProblem> setProps(List<PropValue> values) {
        List<PropProblem> problems = bag.setProps(values);
        for (int i = 0; i < values.size(); i++) {
            PropValue v = values.get(i);
            if (v.tag() != PropTag.PR_NULL && !v.isError() && !SqliteMsgStore.hasProblem(problems, i)) {
                large.remove(v.id());
                loaded.remove(v.id());
            }
        }
        return problems;
    }

    /** IMAPIProp::DeleteProps (R-PROP-3); deleting a large value is not a MAPI_E_NOT_FOUND problem. */
    synchronized List<PropProblem> deleteProps(int[] tags) {
        if (tags != null && !bag.isReadOnly()) {
            for (int t : tags) {
                if (!computed.contains(PropTag.id(t))) {
                    loaded.remove(PropTag.id(t));
                }
            }
        }
        List<PropProblem> problems = bag.deleteProps(tags);
        List<PropProblem> out = new ArrayList<>();
        for (PropProblem p : problems) {
            if (p.scode() == HResult.MAPI_E_NOT_FOUND && large.remove(PropTag.id(p.tag())) != null) {
                continue;
            }
            out.add(p);
        }
        return out;
    }

    /** IMAPIProp::GetPropList (R-PROP-4): inline and large values. */
    synchronized int[] getPropList(int flags) {
        int[] base = bag.getPropList(flags);
        List<Integer> out = new ArrayList<>();
        for (int t : base) {
            out.add(t);
        }
        for (LargeValue v : large.values()) {
            if (!PropTag.isSecure(v.tag())) {
                out.add(v.tag());
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return the inline values a save writes: everything but computed values and PT_OBJECT entries */
    synchronized List<PropValue> inline() {
        List<PropValue> out = new ArrayList<>();
        for (PropValue v : bag.snapshot()) {
            if (!computed.contains(v.id()) && v.type() != PropType.PT_OBJECT) {
                out.add(v);
            }
        }
        return out;
    }

    /** @return the out-of-line values a save keeps by reference */
    synchronized List<LargeValue> keptLarge() {
        return List.copyOf(large.values());
    }
}
