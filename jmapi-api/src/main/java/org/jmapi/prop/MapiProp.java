package org.jmapi.prop;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.client.MapiStream;

import java.util.List;
import java.util.Optional;

/**
 * IMAPIProp: an object with properties. Stores, folders, messages, attachments, status objects and profile
 * sections all are.
 *
 * <p><b>Ownership.</b> Values returned are copies that belong to the caller and are never aliased with provider
 * state; values passed in are copied, never kept.
 *
 * <p><b>Transactions.</b> Messages, attachments and address-book entries buffer changes until
 * {@link #saveChanges(int)}; folders, stores, status objects and profile sections commit every change at once and
 * their {@code saveChanges} is a successful no-op (R-PROP-5, R-PROF-1).
 *
 * <p><b>After logoff.</b> Every method throws MAPI_E_INVALID_OBJECT once the owning logon was logged off (R-INV-2).
 *
 * <p><b>Threads.</b> Implementations are safe for use from several threads; a caller that needs several calls to
 * be atomic synchronises itself.
 */
public interface MapiProp extends MapiObject {

    /**
     * IMAPIProp::GetProps (R-PROP-1). Secure properties (ids 0x6600..0x67FF) come only when asked for by tag
     * (R-PROF-3). A tag of type PT_UNSPECIFIED is answered in the property's real type. A property that cannot be
     * returned comes back as PT_ERROR with the requested id and an SCODE: MAPI_E_NOT_FOUND when absent,
     * MAPI_E_NOT_ENOUGH_MEMORY when too large for inline return (open it with {@code openProperty} instead).
     *
     * @param tags  the wanted tags, or null for every property
     * @param flags 0 or MAPI_UNICODE
     * @return the values in request order, with S_OK or MAPI_W_ERRORS_RETURNED; for null tags on an object with no
     *         properties, S_OK and an empty list
     * @throws org.jmapi.MapiException MAPI_E_INVALID_PARAMETER for an empty (non-null) tag array;
     *                                 MAPI_E_UNKNOWN_FLAGS for other flag bits
     */
    PropValues getProps(int[] tags, int flags);

    /**
     * Convenience for one property.
     *
     * @param tag the tag; PT_UNSPECIFIED matches any type
     * @return the value, or empty when the property is absent or cannot be returned
     */
    default Optional<PropValue> getProp(int tag) {
        PropValue v = getProps(new int[] {tag}, 0).values().get(0);
        return v.isError() ? Optional.empty() : Optional.of(v);
    }

    /**
     * IMAPIProp::SetProps (R-PROP-2). Entries tagged PR_NULL or of type PT_ERROR are skipped. Setting a tag
     * replaces any value stored under the same id.
     *
     * @param values the values; copied
     * @return the properties that could not be set (MAPI_E_COMPUTED, MAPI_E_NO_ACCESS, MAPI_E_INVALID_TYPE, ...);
     *         the call itself succeeded
     * @throws org.jmapi.MapiException MAPI_E_INVALID_PARAMETER for an empty list or a PT_OBJECT value;
     *                                 MAPI_E_NO_ACCESS when the object is read-only
     */
    List<PropProblem> setProps(List<PropValue> values);

    /**
     * IMAPIProp::DeleteProps (R-PROP-3): matches on id only.
     *
     * @param tags the properties to delete
     * @return the properties that could not be deleted; the call itself succeeded
     * @throws org.jmapi.MapiException MAPI_E_INVALID_PARAMETER for null or empty tags; MAPI_E_NO_ACCESS when the
     *                                 object is read-only
     */
    List<PropProblem> deleteProps(int[] tags);

    /**
     * IMAPIProp::GetPropList (R-PROP-4): every property the object has, PT_OBJECT ones included, secure ones
     * excluded, agreeing with {@code getProps(null, flags)}.
     *
     * @param flags 0 or MAPI_UNICODE
     * @return the tags; empty when the object has no properties
     */
    int[] getPropList(int flags);

    /**
     * IMAPIProp::SaveChanges (R-PROP-5).
     *
     * @param flags 0 (only release follows), KEEP_OPEN_READONLY, KEEP_OPEN_READWRITE, optionally FORCE_SAVE
     * @throws org.jmapi.MapiException MAPI_E_OBJECT_CHANGED, MAPI_E_OBJECT_DELETED, MAPI_E_NO_ACCESS; on any error
     *                                 nothing is committed and the object stays open
     */
    void saveChanges(int flags);

    /**
     * IMAPIProp::GetIDsFromNames. Objects without named properties (profile sections, status objects) answer
     * MAPI_E_NO_SUPPORT (R-PROF-1).
     *
     * @param names the names
     * @param flags MAPI_CREATE to assign ids to new names
     * @return one tag per name (PT_UNSPECIFIED type), PROP_ID_INVALID where a name is unknown and not created
     */
    int[] getIdsFromNames(List<NamedProperty> names, int flags);

    /**
     * IMAPIProp::GetNamesFromIDs.
     *
     * @param tags named-property tags (ids 0x8000 and above)
     * @return one name per tag, null where the id is not mapped
     */
    List<NamedProperty> getNamesFromIds(int[] tags);

    /**
     * IMAPIProp::OpenProperty (R-PROP-6): opens a property through an interface, typically a large string or
     * binary as a {@link MapiStream} (PR_BODY, PR_HTML, PR_ATTACH_DATA_BIN), an attachment's PR_ATTACH_DATA_OBJ as
     * its embedded {@link org.jmapi.client.Message}, or PR_MESSAGE_RECIPIENTS / PR_MESSAGE_ATTACHMENTS /
     * PR_CONTAINER_CONTENTS / PR_CONTAINER_HIERARCHY as a {@link org.jmapi.table.MapiTable}.
     *
     * <p>Objects that offer no property as an object answer MAPI_E_NO_SUPPORT (the default here, legitimate for
     * this optional method).
     *
     * <p><b>Ownership:</b> the returned object carries one reference owned by the caller (R-REF-1) and holds its
     * parent object alive until released. <b>After logoff</b> of the parent's logon it is invalid like every object
     * of the logon (R-INV-2). <b>Threads:</b> any.
     *
     * @param tag              the property; its type must be given (not PT_UNSPECIFIED); for streams PT_BINARY,
     *                         PT_UNICODE, PT_STRING8 (or PT_OBJECT for PR_ATTACH_DATA_OBJ, read as the binary)
     * @param iface            the wanted interface ({@code MapiStream.class}, {@code Message.class},
     *                         {@code MapiTable.class}, ...)
     * @param interfaceOptions for streams the STGM_* access mode ({@code Flags.STGM_READ}, STGM_WRITE,
     *                         STGM_READWRITE, optionally STGM_CREATE, STGM_TRANSACTED and sharing bits); 0 otherwise
     * @param flags            0, MAPI_MODIFY (read/write), MAPI_CREATE (create or truncate; needs MAPI_MODIFY),
     *                         MAPI_DEFERRED_ERRORS
     * @param <T>              the interface
     * @return the object
     * @throws MapiException MAPI_E_INVALID_PARAMETER for a null interface, a PT_UNSPECIFIED tag, MAPI_CREATE without
     *                       MAPI_MODIFY or a write mode without MAPI_MODIFY; MAPI_E_NOT_FOUND when the property does
     *                       not exist (or has another type) and MAPI_CREATE was not given;
     *                       MAPI_E_INTERFACE_NOT_SUPPORTED when the property is not offered through {@code iface};
     *                       MAPI_E_NO_ACCESS for MAPI_MODIFY on a read-only object or a computed property;
     *                       MAPI_E_NO_SUPPORT when the object opens no property as an object;
     *                       MAPI_E_UNKNOWN_FLAGS
     */
    default <T extends MapiObject> T openProperty(int tag, Class<T> iface, int interfaceOptions, int flags) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT,
                getClass().getSimpleName() + " opens no property as an object (IMAPIProp::OpenProperty)");
    }

    /**
     * IMAPIProp::OpenProperty with IID_IStream: {@code openProperty(tag, MapiStream.class, interfaceOptions,
     * flags)}. Read the value piece by piece with {@link MapiStream#read} or {@link MapiStream#asInputStream()};
     * write it with MAPI_MODIFY (and MAPI_CREATE to start empty), then {@link MapiStream#commit}, then save the
     * object if it is transacted.
     *
     * @param tag              a PT_BINARY, PT_UNICODE or PT_STRING8 property
     * @param interfaceOptions the STGM_* access mode
     * @param flags            0, MAPI_MODIFY, MAPI_CREATE | MAPI_MODIFY, MAPI_DEFERRED_ERRORS
     * @return the stream; one reference owned by the caller
     * @throws MapiException as {@link #openProperty(int, Class, int, int)}
     */
    default MapiStream openProperty(int tag, int interfaceOptions, int flags) {
        return openProperty(tag, MapiStream.class, interfaceOptions, flags);
    }

    /**
     * IMAPIProp::CopyTo (R-PROP-7): copies (or with MAPI_MOVE moves) every property of this object, except those
     * excluded, to {@code destination}, and with them its subobjects: a message's recipients and attachments
     * (embedded messages included), a folder's messages, associated messages and subfolders.
     *
     * <p>Exclusion by tag matches on the property id only; PR_MESSAGE_RECIPIENTS / PR_MESSAGE_ATTACHMENTS exclude a
     * message's subobjects, PR_CONTAINER_CONTENTS / PR_FOLDER_ASSOCIATED_CONTENTS / PR_CONTAINER_HIERARCHY a folder's.
     * Excluding an interface excludes the subobjects reached through it and through every interface derived from
     * it ({@code Attach.class}: attachments; {@code Message.class}: a folder's messages and embedded messages;
     * {@code MapiFolder.class}: subfolders; {@code MapiProp.class}: every subobject). Properties the source computes
     * (its entry id, record key, size, ...) are not copied. Existing destination properties are overwritten unless
     * MAPI_NOREPLACE. A transacted destination (a message, an attachment) holds the copy in its working state until
     * its own {@code saveChanges}; with MAPI_MOVE a transacted source likewise loses the moved properties in its
     * working state.
     *
     * <p>Objects that do not copy answer MAPI_E_NO_SUPPORT (the default here).
     *
     * <p><b>Ownership:</b> the destination is only used during the call, never kept. <b>After logoff:</b>
     * MAPI_E_INVALID_OBJECT. <b>Threads:</b> any.
     *
     * @param excludeInterfaces interfaces whose subobjects are not copied; null or empty for none
     * @param excludeProps      tags not to copy; null for none (an empty array is MAPI_E_INVALID_PARAMETER)
     * @param iface             the interface through which {@code destination} is used; required
     * @param destination       the object receiving the properties
     * @param flags             MAPI_MOVE, MAPI_NOREPLACE, MAPI_DECLINE_OK, MAPI_DIALOG (accepted, no UI)
     * @return the per-property problems (MAPI_E_COMPUTED, MAPI_E_NO_ACCESS, ...; the index is the property's position
     *         among the properties copied); the call itself succeeded
     * @throws MapiException MAPI_E_INVALID_PARAMETER for a null interface or destination or an empty exclusion
     *                       array; MAPI_E_INTERFACE_NOT_SUPPORTED when {@code destination} does not implement
     *                       {@code iface}; MAPI_E_NO_ACCESS when the destination is this object or is read-only;
     *                       MAPI_E_DECLINE_COPY with MAPI_DECLINE_OK when the copy would go through MAPI's generic
     *                       implementation (a destination of another provider); MAPI_E_COLLISION,
     *                       MAPI_E_FOLDER_CYCLE for folder copies; MAPI_E_NO_SUPPORT; MAPI_E_UNKNOWN_FLAGS
     */
    default List<PropProblem> copyTo(List<Class<? extends MapiObject>> excludeInterfaces, int[] excludeProps,
                                     Class<? extends MapiObject> iface, MapiObject destination, int flags) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT,
                getClass().getSimpleName() + " does not copy its properties (IMAPIProp::CopyTo)");
    }

    /**
     * IMAPIProp::CopyProps (R-PROP-7): copies (or with MAPI_MOVE moves) the listed properties to
     * {@code destination}. Subobjects are copied only when their property is listed (PR_MESSAGE_RECIPIENTS,
     * PR_MESSAGE_ATTACHMENTS; PR_CONTAINER_CONTENTS, PR_FOLDER_ASSOCIATED_CONTENTS, PR_CONTAINER_HIERARCHY), which
     * is what replies and forwards need. Everything else is as {@link #copyTo}.
     *
     * @param includeProps the tags to copy (ids matter); not null, not empty
     * @param iface        the interface through which {@code destination} is used; required
     * @param destination  the object receiving the properties
     * @param flags        MAPI_MOVE, MAPI_NOREPLACE, MAPI_DECLINE_OK, MAPI_DIALOG (accepted, no UI)
     * @return the per-property problems, indexed by position in {@code includeProps} (MAPI_E_NOT_FOUND for a
     *         listed property the source does not have)
     * @throws MapiException as {@link #copyTo}; MAPI_E_INVALID_PARAMETER for a null or empty tag array
     */
    default List<PropProblem> copyProps(int[] includeProps, Class<? extends MapiObject> iface, MapiObject destination,
                                        int flags) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT,
                getClass().getSimpleName() + " does not copy its properties (IMAPIProp::CopyProps)");
    }
}
