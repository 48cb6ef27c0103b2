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
import org.jmapi.store.ValueStream;
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
 * <p><b>Pending values.</b> A value a {@link SqliteStream} committed is held as a frozen {@link ValueBuffer} (in a
 * temporary file when large) until the object is saved: GetProps answers it like a large value, the save writes it
 * from the buffer in chunks ({@link #streams()}), and {@link #settle} then replaces it by what the store kept.
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
    /** Values committed by streams and not saved yet, by id; guarded by {@code this}. */
    private final Map<Integer, Pending> pending = new LinkedHashMap<>();
    /** Ids callers may not change ({@link #protect}); guarded by {@code this}. */
    private final Set<Integer> protectedIds = new HashSet<>();

    /**
     * A value committed by a stream, waiting for the object's save.
     *
     * @param tag    the property tag
     * @param buffer its bytes (stream form), frozen
     */
    record Pending(int tag, ValueBuffer buffer) {}

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
        dropAllPending();
        for (LargeValue v : kept) {
            large.put(PropTag.id(v.tag()), v);
        }
    }

    /** @param readOnly whether callers' changes are refused with MAPI_E_NO_ACCESS */
    void setReadOnly(boolean readOnly) {
        bag.setReadOnly(readOnly);
    }

    /** @param tags ids callers may neither set nor delete (MAPI_E_NO_ACCESS) */
    synchronized void protect(int... tags) {
        bag.protect(tags);
        for (int t : tags) {
            protectedIds.add(PropTag.id(t));
        }
    }

    /** @param values pending values to hold as well (an attachment opened from its message's working state) */
    synchronized void loadPending(List<Pending> values) {
        for (Pending p : values) {
            int id = PropTag.id(p.tag());
            bag.remove(p.tag());
            large.remove(id);
            loaded.remove(id);
            dropPending(id);
            pending.put(id, new Pending(p.tag(), p.buffer().retain()));
        }
    }

    /** @param v a value the object computes: readable, refused to callers with MAPI_E_COMPUTED */
    synchronized void putComputed(PropValue v) {
        computed.add(v.id());
        large.remove(v.id());
        dropPending(v.id());
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
        dropPending(v.id());
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
        if (large.isEmpty() && pending.isEmpty()) {
            return base;
        }
        List<PropValue> out = new ArrayList<>(base.values());
        if (tags == null) {
            for (LargeValue v : large.values()) {
                if (!PropTag.isSecure(v.tag())) {
                    out.add(read(v, v.tag()));
                }
            }
            for (Pending p : pending.values()) {
                if (!PropTag.isSecure(p.tag())) {
                    out.add(read(p, p.tag()));
                }
            }
        } else {
            for (int i = 0; i < tags.length; i++) {
                if (!out.get(i).isError()) {
                    continue;
                }
                LargeValue v = large.get(PropTag.id(tags[i]));
                Pending p = pending.get(PropTag.id(tags[i]));
                if (v != null) {
                    out.set(i, read(v, tags[i]));
                } else if (p != null) {
                    out.set(i, read(p, tags[i]));
                }
            }
        }
        return PropValues.of(out);
    }

    /** A pending value as GetProps returns it: like a large value (R-PROP-1). */
    private static PropValue read(Pending p, int want) {
        int wantType = PropTag.type(want);
        int type = PropTag.type(p.tag());
        if (wantType != PropType.PT_UNSPECIFIED && wantType != type
                && !(Rows.isString(wantType) && Rows.isString(type))) {
            return PropValue.error(want, HResult.MAPI_E_NOT_FOUND);
        }
        if (p.buffer().size() > LIMIT) {
            return PropValue.error(want, HResult.MAPI_E_NOT_ENOUGH_MEMORY);
        }
        PropValue value = valueOf(p.tag(), p.buffer().bytes(LIMIT));
        if (wantType != PropType.PT_UNSPECIFIED && wantType != type) {
            return PropValue.of(PropTag.withType(value.tag(), wantType), value.value());
        }
        return value;
    }

    /** @return a value from its stream form (lenient: an odd PT_UNICODE byte count drops the last byte) */
    static PropValue valueOf(int tag, byte[] bytes) {
        int type = PropTag.type(tag);
        return type == PropType.PT_BINARY ? PropValue.ofBinary(tag, bytes)
                : PropValue.ofString(tag, PropCodec.streamString(type, bytes, false));
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
                dropPending(v.id());
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
            if (p.scode() == HResult.MAPI_E_NOT_FOUND && (large.remove(PropTag.id(p.tag())) != null
                    | dropPending(PropTag.id(p.tag())))) {
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
        for (Pending p : pending.values()) {
            if (!PropTag.isSecure(p.tag())) {
                out.add(p.tag());
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

    /** @return the pending values, for an attachment's state */
    synchronized List<Pending> pendingValues() {
        return List.copyOf(pending.values());
    }

    /** @return the pending values as streams for a save: each opened from its frozen buffer */
    synchronized List<ValueStream> streams() {
        List<ValueStream> out = new ArrayList<>(pending.size());
        for (Pending p : pending.values()) {
            out.add(new ValueStream(p.tag(), new BufferSource(p.buffer())));
        }
        return out;
    }

    /** @return whether values committed by streams wait for the save */
    synchronized boolean hasPending() {
        return !pending.isEmpty();
    }

    /**
     * After a save: the pending values become what the store kept (inline values or large values), read from the
     * stored image.
     *
     * @param stored      the object's stored inline values
     * @param storedLarge its stored out-of-line values
     */
    synchronized void settle(List<PropValue> stored, List<LargeValue> storedLarge) {
        for (Pending p : List.copyOf(pending.values())) {
            int id = PropTag.id(p.tag());
            dropPending(id);
            for (PropValue v : stored) {
                if (v.id() == id) {
                    bag.put(v);
                }
            }
            for (LargeValue v : storedLarge) {
                if (PropTag.id(v.tag()) == id) {
                    large.put(id, v);
                }
            }
        }
    }

    /**
     * Why a caller may not replace a property (OpenProperty with MAPI_MODIFY).
     *
     * @param tag the property
     * @return 0 when allowed, else MAPI_E_NO_ACCESS (read-only object, computed or protected property)
     */
    synchronized int writeProblem(int tag) {
        int id = PropTag.id(tag);
        if (bag.isReadOnly() || computed.contains(id) || protectedIds.contains(id)) {
            return HResult.MAPI_E_NO_ACCESS;
        }
        return 0;
    }

    /**
     * The current value of a property as stream content (OpenProperty with MapiStream, R-PROP-6).
     *
     * @param tag the property; its type must match the stored one
     * @return the content, or null when the object has no property with that id
     * @throws MapiException MAPI_E_NOT_FOUND when the property is stored with another type
     */
    synchronized StreamContent content(int tag) {
        int id = PropTag.id(tag);
        int type = PropTag.type(tag);
        Pending p = pending.get(id);
        if (p != null) {
            checkType(p.tag(), tag);
            return StreamContent.of(p.buffer());
        }
        LargeValue v = large.get(id);
        if (v != null) {
            checkType(v.tag(), tag);
            return StreamContent.of(storage, v);
        }
        PropValue inline = bag.get(tag);
        if (inline == null) {
            return null;
        }
        checkType(inline.tag(), tag);
        return StreamContent.of(type == PropType.PT_BINARY ? (byte[]) inline.value()
                : PropCodec.streamBytes(type, (String) inline.value()));
    }

    private static void checkType(int stored, int wanted) {
        if (PropTag.type(stored) != PropTag.type(wanted)) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "the object has " + PropTag.toString(stored)
                    + ", not " + PropTag.toString(wanted) + "; open it with its own type");
        }
    }

    /**
     * A stream's Commit: the property's new value (R-PROP-6). Small values that are exactly representable become
     * ordinary values; the others stay in their buffer until the save.
     *
     * @param tag    the property
     * @param buffer the value, frozen; kept
     * @throws MapiException MAPI_E_NO_ACCESS / MAPI_E_COMPUTED when callers may not change the property
     */
    synchronized void putPending(int tag, ValueBuffer buffer) {
        int id = PropTag.id(tag);
        if (bag.isReadOnly() || protectedIds.contains(id)) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, PropTag.toString(tag) + " cannot be changed: "
                    + (bag.isReadOnly() ? "the object is read-only" : "the property is maintained by the store"));
        }
        if (computed.contains(id)) {
            throw new MapiException(HResult.MAPI_E_COMPUTED, PropTag.toString(tag) + " is computed by the store");
        }
        large.remove(id);
        loaded.remove(id);
        dropPending(id);
        if (buffer.size() <= ValueBuffer.MEMORY_LIMIT) {
            byte[] bytes = buffer.bytes(ValueBuffer.MEMORY_LIMIT);
            int type = PropTag.type(tag);
            String s = type == PropType.PT_BINARY ? null : PropCodec.streamString(type, bytes, true);
            if (type == PropType.PT_BINARY || s != null) {
                bag.put(type == PropType.PT_BINARY ? PropValue.ofBinary(tag, bytes) : PropValue.ofString(tag, s));
                return;
            }
        }
        bag.remove(tag);
        pending.put(id, new Pending(tag, buffer.retain()));
    }

    /** @return whether a pending value with that id was dropped (its buffer released) */
    private boolean dropPending(int id) {
        Pending p = pending.remove(id);
        if (p != null) {
            p.buffer().release();
            return true;
        }
        return false;
    }

    private void dropAllPending() {
        for (Pending p : pending.values()) {
            p.buffer().release();
        }
        pending.clear();
    }

    /** The object is gone (released or invalidated): its pending values' buffers are given back. */
    synchronized void close() {
        dropAllPending();
    }

    /**
     * A copy within one store file (CopyTo, R-PROP-7): the property takes an out-of-line value of the same file by
     * reference; the save copies its chunks inside the store, never through memory.
     *
     * @param v the value
     * @throws MapiException MAPI_E_NO_ACCESS / MAPI_E_COMPUTED when callers may not change the property
     */
    synchronized void putLarge(LargeValue v) {
        int id = PropTag.id(v.tag());
        int problem = writeProblem(v.tag());
        if (problem != 0) {
            throw new MapiException(computed.contains(id) ? HResult.MAPI_E_COMPUTED : problem,
                    PropTag.toString(v.tag()) + " cannot be changed");
        }
        bag.remove(v.tag());
        loaded.remove(id);
        dropPending(id);
        large.put(id, v);
    }

    /** @return the ids of every property the object has (inline, large, pending), for MAPI_NOREPLACE */
    synchronized Set<Integer> ids() {
        Set<Integer> out = new HashSet<>();
        for (PropValue v : bag.snapshot()) {
            out.add(v.id());
        }
        out.addAll(large.keySet());
        out.addAll(pending.keySet());
        return out;
    }
}
