package org.jmapi.runtime.profile;

import org.jmapi.AdviseSink;
import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.MapiUid;
import org.jmapi.Notification;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MapiSupport;

import java.util.ArrayList;
import java.util.List;

/**
 * The configuration support object handed to {@link org.jmapi.spi.MessageService#serviceEntry} (spec &sect;8.1,
 * column "Service"; R-PROF-6).
 *
 * <p>It implements {@link #newUid()}, {@link #makeInvalid} and {@link #openProfileSection}: a null UID opens the
 * service's own section; the sections of the service's providers, sections the service created (MAPI_MODIFY on a
 * UID that does not exist yet) and sections no service owns may be opened too, another service's sections answer
 * MAPI_E_NO_ACCESS. Every other method throws MAPI_E_NO_SUPPORT (R-SUP-1).
 *
 * <p><b>Lifetime.</b> The object is valid only during the entry-point call: the runtime invalidates it, and every
 * section opened through it, as soon as the call returns, and releases its own reference. A service that kept it
 * (it must not) gets MAPI_E_INVALID_OBJECT from every method but IUnknown. During MSG_SERVICE_INSTALL and
 * MSG_SERVICE_CREATE the service's sections are staged: what the service writes reaches the profile only if the
 * entry point returns normally.
 *
 * <p><b>Ownership.</b> The service does not own a reference unless it AddRefs the object. Sections it opens carry
 * one reference owned by the service. <b>Threads:</b> any.
 */
public final class ServiceSupport extends BaseMapiObject implements MapiSupport {
    private final SectionScope scope;
    private final String serviceName;
    private final List<ProfileSection> opened = new ArrayList<>();

    ServiceSupport(SectionScope scope, String serviceName) {
        this.scope = scope;
        this.serviceName = serviceName;
    }

    /** @return {@link MapiSupport.Kind#SERVICE}; answers after invalidation too, like IUnknown */
    @Override
    public Kind kind() {
        return Kind.SERVICE;
    }

    /**
     * IMAPISupport::NewUID.
     *
     * @return a fresh random UID
     * @throws MapiException MAPI_E_INVALID_OBJECT after the entry point returned
     */
    @Override
    public MapiUid newUid() {
        checkValid();
        return MapiUid.random();
    }

    /**
     * IMAPISupport::OpenProfileSection for a message service (R-PROF-2).
     *
     * @param uid   the section, or null for the service's own section
     * @param flags 0 (read-only) or MAPI_MODIFY
     * @return the section, one reference owned by the caller; invalid once the entry point returned
     * @throws MapiException MAPI_E_UNKNOWN_FLAGS; MAPI_E_NOT_FOUND for a missing section opened read-only;
     *                       MAPI_E_NO_ACCESS for another service's section; MAPI_E_INVALID_OBJECT after the entry
     *                       point returned
     */
    @Override
    public ProfileSection openProfileSection(MapiUid uid, int flags) {
        checkValid();
        ProfileSection s = scope.open(uid, flags);
        boolean tooLate;
        synchronized (this) {
            tooLate = isInvalid();
            if (!tooLate) {
                opened.add(s);
            }
        }
        if (tooLate) {
            ((BaseMapiObject) s).invalidate();
        }
        return s;
    }

    /**
     * IMAPISupport::MakeInvalid (R-INV-1).
     *
     * @param flags  0
     * @param object an object built on {@link BaseMapiObject}
     * @throws MapiException MAPI_E_UNKNOWN_FLAGS for non-zero flags; MAPI_E_INVALID_PARAMETER for null or an object
     *                       not built on BaseMapiObject; MAPI_E_INVALID_OBJECT after the entry point returned
     */
    @Override
    public void makeInvalid(int flags, MapiObject object) {
        checkValid();
        Flags.checkKnown(flags, 0, "MakeInvalid");
        if (!(object instanceof BaseMapiObject b)) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "MakeInvalid: " + (object == null ? "null" : object.getClass().getName()
                            + " is not built on BaseMapiObject"));
        }
        b.invalidate();
    }

    /** @throws MapiException MAPI_E_NO_SUPPORT (store and address-book support only, R-SUP-1) */
    @Override
    public void setProviderUid(MapiUid uid, int flags) {
        throw noSupport("SetProviderUID");
    }

    /** @throws MapiException MAPI_E_NO_SUPPORT (provider logons only, R-SUP-1) */
    @Override
    public int subscribe(byte[] key, int eventMask, int flags, AdviseSink sink) {
        throw noSupport("Subscribe");
    }

    /** @throws MapiException MAPI_E_NO_SUPPORT (provider logons only, R-SUP-1) */
    @Override
    public void unsubscribe(int connection) {
        throw noSupport("Unsubscribe");
    }

    /** @throws MapiException MAPI_E_NO_SUPPORT (provider logons only, R-SUP-1) */
    @Override
    public int notify(byte[] key, List<Notification> notifications) {
        throw noSupport("Notify");
    }

    /** @throws MapiException MAPI_E_NO_SUPPORT (provider logons only, R-SUP-1) */
    @Override
    public void modifyStatusRow(List<PropValue> props, int flags) {
        throw noSupport("ModifyStatusRow");
    }

    /** @throws MapiException MAPI_E_NO_SUPPORT (provider logons only, R-SUP-1) */
    @Override
    public MapiObject openEntry(EntryId entryId, int flags) {
        throw noSupport("OpenEntry");
    }

    /** @throws MapiException MAPI_E_NO_SUPPORT (provider logons only, R-SUP-1) */
    @Override
    public boolean compareEntryIds(EntryId a, EntryId b, int flags) {
        throw noSupport("CompareEntryIDs");
    }

    /** @throws MapiException MAPI_E_NO_SUPPORT (provider logons only, R-SUP-1) */
    @Override
    public EntryId wrapStoreEntryId(EntryId unwrapped) {
        throw noSupport("WrapStoreEntryID");
    }

    /** @throws MapiException MAPI_E_NO_SUPPORT (store support only, R-SUP-1) */
    @Override
    public int storeLogoffTransports(int flags) {
        throw noSupport("StoreLogoffTransports");
    }

    /** @throws MapiException MAPI_E_NO_SUPPORT (store support only, R-SUP-1) */
    @Override
    public void modifyProfile(int flags) {
        throw noSupport("ModifyProfile");
    }

    /** @throws MapiException MAPI_E_NO_SUPPORT (store and transport support only, R-SUP-1) */
    @Override
    public void spoolerNotify(int flags, Object data) {
        throw noSupport("SpoolerNotify");
    }

    /** @throws MapiException MAPI_E_NO_SUPPORT (transport support only, R-SUP-1) */
    @Override
    public int spoolerYield(int flags) {
        throw noSupport("SpoolerYield");
    }

    /** @throws MapiException MAPI_E_NO_SUPPORT (store support only, R-SUP-1) */
    @Override
    public int prepareSubmit(org.jmapi.client.Message message, int flags) {
        throw noSupport("PrepareSubmit");
    }

    /** @throws MapiException MAPI_E_NO_SUPPORT (store support only, R-SUP-1) */
    @Override
    public int expandRecips(org.jmapi.client.Message message) {
        throw noSupport("ExpandRecips");
    }

    /** @throws MapiException MAPI_E_NO_SUPPORT (transport support only, R-SUP-1) */
    @Override
    public void statusRecips(org.jmapi.client.Message message, List<List<PropValue>> recipients) {
        throw noSupport("StatusRecips");
    }

    private MapiException noSupport(String method) {
        checkValid();
        return new MapiException(HResult.MAPI_E_NO_SUPPORT,
                "IMAPISupport::" + method + " is not available to a message service's configuration support object");
    }

    /** Invalidates every section opened through this object: they must not outlive the entry-point call. */
    @Override
    protected void onInvalidate() {
        List<ProfileSection> sections;
        synchronized (this) {
            sections = List.copyOf(opened);
            opened.clear();
        }
        for (ProfileSection s : sections) {
            ((BaseMapiObject) s).invalidate();
        }
    }

    @Override
    protected String describe() {
        return "service-support:" + serviceName;
    }
}
