package org.jmapi.prop;

import org.jmapi.MapiObject;

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
}
