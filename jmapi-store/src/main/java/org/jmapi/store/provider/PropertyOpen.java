package org.jmapi.store.provider;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.client.MapiStream;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.store.ValueStream;

/**
 * IMAPIProp::OpenProperty as every object of the SQLite store does it (R-PROP-6): the argument checks and the
 * opening of a property as a {@link SqliteStream}. Objects add the interfaces they offer beyond streams (tables,
 * embedded messages) themselves. Stateless; thread-safe.
 */
final class PropertyOpen {
    /** The OpenProperty flags every object accepts. */
    static final int FLAGS = Flags.MAPI_MODIFY | Flags.MAPI_CREATE | Flags.MAPI_DEFERRED_ERRORS
            | Flags.MAPI_BEST_ACCESS;
    /** The STGM_* interface options a stream accepts (sharing modes are not enforced). */
    static final int STREAM_OPTIONS = Flags.STGM_WRITE | Flags.STGM_READWRITE | Flags.STGM_SHARE_EXCLUSIVE
            | Flags.STGM_SHARE_DENY_WRITE | Flags.STGM_SHARE_DENY_READ | Flags.STGM_SHARE_DENY_NONE
            | Flags.STGM_CREATE | Flags.STGM_TRANSACTED;

    private PropertyOpen() {}

    /**
     * A checked OpenProperty call.
     *
     * @param tag     the property (for PR_ATTACH_DATA_OBJ opened as a stream: PR_ATTACH_DATA_BIN)
     * @param iface   the interface asked for
     * @param options the interface options
     * @param modify  MAPI_MODIFY
     * @param create  MAPI_CREATE (or STGM_CREATE)
     */
    record Request(int tag, Class<?> iface, int options, boolean modify, boolean create) {
        /** @return whether a stream is asked for (MapiStream, or IUnknown on a property that is a stream) */
        boolean wantsStream() {
            return iface == MapiStream.class || iface == MapiObject.class;
        }

        /** @return the call as a stream request, with its STGM checks */
        Request forStream() {
            Flags.checkKnown(options, STREAM_OPTIONS, "OpenProperty (IStream interface options)");
            if ((options & (Flags.STGM_WRITE | Flags.STGM_READWRITE)) != 0 && !modify) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "OpenProperty: the stream of "
                        + PropTag.toString(tag) + " was asked for with STGM_WRITE / STGM_READWRITE but without"
                        + " MAPI_MODIFY; add MAPI_MODIFY to the flags to write");
            }
            if ((options & Flags.STGM_CREATE) != 0 && !modify) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "OpenProperty: STGM_CREATE needs MAPI_MODIFY");
            }
            return new Request(tag, iface, options, modify, create || (options & Flags.STGM_CREATE) != 0);
        }
    }

    /**
     * The checks every OpenProperty makes first (R-PROP-6).
     *
     * @throws MapiException MAPI_E_INVALID_PARAMETER for a null interface, a PT_UNSPECIFIED tag or MAPI_CREATE
     *                       without MAPI_MODIFY; MAPI_E_UNKNOWN_FLAGS
     */
    static Request check(int tag, Class<?> iface, int options, int flags) {
        if (iface == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "OpenProperty: the interface is required");
        }
        if (PropTag.type(tag) == PropType.PT_UNSPECIFIED) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "OpenProperty: " + PropTag.toString(tag)
                    + " has type PT_UNSPECIFIED; give the property's type");
        }
        Flags.checkKnown(flags, FLAGS, "IMAPIProp::OpenProperty");
        boolean modify = (flags & Flags.MAPI_MODIFY) != 0;
        boolean create = (flags & Flags.MAPI_CREATE) != 0;
        if (create && !modify) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "OpenProperty: MAPI_CREATE needs MAPI_MODIFY");
        }
        return new Request(tag, iface, options, modify, create);
    }

    /** @return MAPI_E_INTERFACE_NOT_SUPPORTED for a property not offered through the requested interface */
    static MapiException notOffered(Request r) {
        return new MapiException(HResult.MAPI_E_INTERFACE_NOT_SUPPORTED, PropTag.toString(r.tag())
                + " cannot be opened as " + r.iface().getSimpleName());
    }

    /**
     * Opens a property of an object with {@link WorkingProps} as a stream.
     *
     * @param store          the logon; the stream is registered with it
     * @param owner          the object
     * @param props          its working properties
     * @param r              the checked call
     * @param objectWritable whether the object accepts changes
     * @return the stream, one reference owned by the caller
     */
    static SqliteStream stream(SqliteMsgStore store, SqliteStream.Owner owner, WorkingProps props, Request r,
                               boolean objectWritable) {
        Request s = streamable(r);
        if (s.modify()) {
            if (!objectWritable || props.writeProblem(s.tag()) != 0) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS, "OpenProperty: " + PropTag.toString(s.tag())
                        + (objectWritable ? " is maintained by the store and cannot be written"
                        : " cannot be written: the object was opened read-only (open it with MAPI_MODIFY)"));
            }
        }
        StreamContent content;
        try {
            content = props.content(s.tag());
        } catch (MapiException e) {
            if (!s.create()) {
                throw e;
            }
            content = null;
        }
        if (content == null && !s.create()) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "OpenProperty: the object has no "
                    + PropTag.toString(s.tag()) + " (open it with MAPI_CREATE | MAPI_MODIFY to create it)");
        }
        return store.track(new SqliteStream(store, owner, s.tag(), s.modify(),
                content == null ? StreamContent.EMPTY : content, s.create()));
    }

    /**
     * @return the request as a stream request on a streamable tag (PR_ATTACH_DATA_OBJ becomes PR_ATTACH_DATA_BIN)
     * @throws MapiException MAPI_E_INTERFACE_NOT_SUPPORTED for another interface or a type without stream form
     */
    static Request streamable(Request r) {
        if (!r.wantsStream()) {
            throw notOffered(r);
        }
        int tag = r.tag();
        if (PropTag.id(tag) == PropTag.id(PropTags.PR_ATTACH_DATA_OBJ) && PropTag.type(tag) == PropType.PT_OBJECT) {
            tag = PropTags.PR_ATTACH_DATA_BIN;
        }
        if (!ValueStream.isStreamable(PropTag.type(tag))) {
            throw new MapiException(HResult.MAPI_E_INTERFACE_NOT_SUPPORTED, PropTag.toString(r.tag())
                    + " has no stream form; only PT_BINARY, PT_UNICODE and PT_STRING8 properties open as streams");
        }
        return new Request(tag, r.iface(), r.options(), r.modify(), r.create()).forStream();
    }

    /**
     * Opens a property of a non-transacted object (a folder, the store) as a stream: the value is small and held by
     * the object's property bag; the stream's Commit sets it through the object's SetProps at once (R-PROP-5).
     *
     * @param store the logon; the stream is registered with it
     * @param owner the object
     * @param bag   the object's properties now
     * @param r     the checked call
     * @return the stream, one reference owned by the caller
     */
    static SqliteStream valueStream(SqliteMsgStore store, SqliteStream.Owner owner, org.jmapi.prop.PropertyBag bag,
                                    Request r) {
        Request s = streamable(r);
        if (s.modify() && bag.writeProblem(s.tag()) != 0) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, "OpenProperty: " + PropTag.toString(s.tag())
                    + (bag.isReadOnly() ? " cannot be written: the store was opened read-only (MDB_WRITE)"
                    : " is computed or maintained by the store and cannot be written"));
        }
        org.jmapi.prop.PropValue v = bag.get(s.tag());
        StreamContent content = null;
        if (v != null && v.type() == PropTag.type(s.tag())) {
            content = StreamContent.of(v.type() == PropType.PT_BINARY ? (byte[]) v.value()
                    : org.jmapi.store.engine.PropCodec.streamBytes(v.type(), (String) v.value()));
        }
        if (content == null && !s.create()) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "OpenProperty: the object has no "
                    + PropTag.toString(s.tag()) + (v == null ? "" : " (it has " + PropTag.toString(v.tag()) + ")"));
        }
        return store.track(new SqliteStream(store, owner, s.tag(), s.modify(),
                content == null ? StreamContent.EMPTY : content, s.create()));
    }

    /**
     * A stream's Commit on a non-transacted object: the value, read whole (at most {@link WorkingProps#LIMIT}
     * bytes), goes through {@code setProps}; a per-property problem becomes the commit's error.
     *
     * @param object the object's IMAPIProp
     * @param tag    the property
     * @param buffer the committed value
     */
    static void commitBySetProps(org.jmapi.prop.MapiProp object, int tag, ValueBuffer buffer) {
        if (buffer.size() > WorkingProps.LIMIT) {
            throw new MapiException(HResult.MAPI_E_TOO_BIG, PropTag.toString(tag) + ": " + buffer.size()
                    + " bytes; folder and store properties are held whole, at most " + WorkingProps.LIMIT);
        }
        java.util.List<org.jmapi.prop.PropProblem> problems = object.setProps(java.util.List.of(
                WorkingProps.valueOf(tag, buffer.bytes(WorkingProps.LIMIT))));
        if (!problems.isEmpty()) {
            throw new MapiException(problems.get(0).scode(), "Commit: " + PropTag.toString(tag)
                    + " could not be set (" + org.jmapi.HResult.name(problems.get(0).scode()) + ")");
        }
    }
}
