package org.jmapi.runtime;

import org.jmapi.AdviseSink;
import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.MapiUid;
import org.jmapi.Notification;
import org.jmapi.client.Message;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.Recipients;
import org.jmapi.spi.Tracer;

import java.util.List;

/**
 * The support object MAPI gives one provider logon (spec &sect;8.1): AB, store or transport kind, each method
 * available exactly where the table says and MAPI_E_NO_SUPPORT elsewhere (R-SUP-1).
 *
 * <p>Created with one reference, MAPI's own, which the runtime drops right after the provider's logon returned;
 * from then on the provider's reference keeps it alive (R-LOGON-1). Its final release starts the logon's release
 * chain ({@link LogonRecord#supportReleased()}).
 */
final class SupportObject extends BaseMapiObject implements MapiSupport {
    private final Kind kind;
    private final LogonRecord owner;
    private final Tracer tracer;

    SupportObject(Kind kind, LogonRecord owner) {
        this.kind = kind;
        this.owner = owner;
        this.tracer = owner.session.subsystem.trace.bind(owner.label);
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public Tracer tracer() {
        return tracer;
    }

    private void require(String method, Kind... kinds) {
        checkValid();
        for (Kind k : kinds) {
            if (k == kind) {
                return;
            }
        }
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT,
                "IMAPISupport::" + method + " is not implemented on a " + kind + " support object (spec 8.1)");
    }

    @Override
    public MapiUid newUid() {
        checkValid();
        return MapiUid.random();
    }

    @Override
    public ProfileSection openProfileSection(MapiUid uid, int flags) {
        checkValid();
        Flags.checkKnown(flags, Flags.MAPI_MODIFY, "IMAPISupport::OpenProfileSection");
        MapiUid target = uid == null ? owner.slot.record.uid() : uid;
        ProfileSection s = owner.session.profile.openSection(target, flags, uid == null);
        if (s instanceof BaseMapiObject b) {
            owner.track(b);
        }
        return s;
    }

    @Override
    public void makeInvalid(int flags, MapiObject object) {
        checkValid();
        Flags.checkKnown(flags, 0, "IMAPISupport::MakeInvalid");
        if (!(object instanceof BaseMapiObject b)) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "MakeInvalid takes objects built on BaseMapiObject");
        }
        b.invalidate();
    }

    @Override
    public void setProviderUid(MapiUid uid, int flags) {
        require("SetProviderUID", Kind.ADDRESS_BOOK, Kind.STORE);
        Flags.checkKnown(flags, 0, "IMAPISupport::SetProviderUID");
        if (uid == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "SetProviderUID: null UID");
        }
        owner.session.trace("IMAPISupport::SetProviderUID", owner.label, 0);
        owner.session.uids.register(uid, owner);
    }

    @Override
    public int subscribe(byte[] key, int eventMask, int flags, AdviseSink sink) {
        require("Subscribe", Kind.ADDRESS_BOOK, Kind.STORE, Kind.TRANSPORT);
        return owner.session.subscriptions.subscribe(key, eventMask, flags, sink, this);
    }

    @Override
    public void unsubscribe(int connection) {
        require("Unsubscribe", Kind.ADDRESS_BOOK, Kind.STORE, Kind.TRANSPORT);
        owner.session.subscriptions.unsubscribe(connection);
    }

    @Override
    public int notify(byte[] key, List<Notification> notifications) {
        require("Notify", Kind.ADDRESS_BOOK, Kind.STORE, Kind.TRANSPORT);
        for (Notification n : notifications) {
            if (n.eventType() == Flags.fnevStatusObjectModified) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "providers cannot raise fnevStatusObjectModified (R-NTF-5)");
            }
        }
        return owner.session.subscriptions.notify(key, notifications);
    }

    @Override
    public void modifyStatusRow(List<PropValue> props, int flags) {
        require("ModifyStatusRow", Kind.ADDRESS_BOOK, Kind.STORE, Kind.TRANSPORT);
        Flags.checkKnown(flags, Flags.STATUSROW_UPDATE, "IMAPISupport::ModifyStatusRow");
        if (props == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "ModifyStatusRow: null properties");
        }
        owner.session.trace("IMAPISupport::ModifyStatusRow", owner.label, flags);
        StatusTable.RowIdentity identity = new StatusTable.RowIdentity(owner.slot.record.serviceName(),
                owner.slot.record.resourceFlags(), owner.slot.record.kind().resourceType());
        if ((flags & Flags.STATUSROW_UPDATE) != 0) {
            owner.session.statusTable.updateRow(owner, identity, props);
        } else {
            owner.session.statusTable.addRow(owner, identity, props);
        }
    }

    @Override
    public MapiObject openEntry(EntryId entryId, int flags) {
        require("OpenEntry", Kind.ADDRESS_BOOK, Kind.STORE, Kind.TRANSPORT);
        return owner.session.openEntry(entryId, flags);
    }

    @Override
    public boolean compareEntryIds(EntryId a, EntryId b, int flags) {
        require("CompareEntryIDs", Kind.ADDRESS_BOOK, Kind.STORE, Kind.TRANSPORT);
        return owner.session.compareEntryIds(a, b, flags);
    }

    @Override
    public EntryId wrapStoreEntryId(EntryId unwrapped) {
        require("WrapStoreEntryID", Kind.ADDRESS_BOOK, Kind.STORE, Kind.TRANSPORT);
        MapiUid section = owner instanceof StoreLogonRecord s ? s.slot.record.uid() : null;
        if (section == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "WrapStoreEntryID: only a store logon knows which store section to wrap for");
        }
        return MsgStoresTable.wrap(section, unwrapped);
    }

    @Override
    public int storeLogoffTransports(int flags) {
        checkValid();
        if (kind != Kind.STORE) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT,
                    "IMAPISupport::StoreLogoffTransports exists on store support objects only (R-SLT-1)");
        }
        owner.session.trace("IMAPISupport::StoreLogoffTransports", owner.label, flags);
        try {
            Flags.checkLogoffInput(flags);
            int out = owner.session.spooler.storeLogoffTransports((StoreLogonRecord) owner, flags);
            owner.session.traceReturn("IMAPISupport::StoreLogoffTransports", owner.label, out, HResult.S_OK);
            return out;
        } catch (MapiException e) {
            owner.session.traceReturn("IMAPISupport::StoreLogoffTransports", owner.label, 0, e.hresult());
            throw e;
        }
    }

    @Override
    public int prepareSubmit(Message message, int flags) {
        require("PrepareSubmit", Kind.STORE);
        owner.session.trace("IMAPISupport::PrepareSubmit", owner.label, flags);
        return Recipients.prepareSubmit(message, flags);
    }

    @Override
    public int expandRecips(Message message) {
        require("ExpandRecips", Kind.STORE);
        owner.session.trace("IMAPISupport::ExpandRecips", owner.label, 0);
        return Recipients.expandRecips(message);
    }

    @Override
    public void statusRecips(Message message, List<List<PropValue>> recipients) {
        require("StatusRecips", Kind.TRANSPORT);
        if (message == null || recipients == null || recipients.isEmpty()) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "StatusRecips: no message or no recipients");
        }
        owner.session.trace("IMAPISupport::StatusRecips", owner.label, recipients.size());
        owner.session.spooler.statusRecips((TransportLogonRecord) owner, message, recipients);
    }

    @Override
    public void modifyProfile(int flags) {
        require("ModifyProfile", Kind.STORE);
        Flags.checkKnown(flags, Flags.MDB_TEMPORARY, "IMAPISupport::ModifyProfile");
        if ((flags & Flags.MDB_TEMPORARY) == 0) {
            ((StoreLogonRecord) owner).makePermanent();
        }
    }

    @Override
    public void spoolerNotify(int flags, Object data) {
        require("SpoolerNotify", Kind.STORE, Kind.TRANSPORT);
        if (kind == Kind.STORE) {
            int allowed = Flags.NOTIFY_READYTOSEND | Flags.NOTIFY_NEWMAIL_RECEIVED;
            if (flags == 0 || (flags & ~allowed) != 0) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "a store may send only NOTIFY_READYTOSEND and NOTIFY_NEWMAIL_RECEIVED (R-TN-2)");
            }
        } else if (flags == 0 || (flags & Flags.NOTIFY_NEWMAIL_RECEIVED) != 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "a transport may not send NOTIFY_NEWMAIL_RECEIVED (R-TN-2)");
        } else if ((flags & Flags.NOTIFY_CRITICAL_ERROR) != 0 && (flags & Flags.NOTIFY_SENTDEFERRED) != 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "NOTIFY_CRITICAL_ERROR and NOTIFY_SENTDEFERRED are mutually exclusive (R-TN-2)");
        }
        owner.session.trace("IMAPISupport::SpoolerNotify", owner.label, flags);
        owner.session.spooler.spoolerNotify(owner, flags, data);
    }

    @Override
    public int spoolerYield(int flags) {
        require("SpoolerYield", Kind.TRANSPORT);
        Flags.checkKnown(flags, 0, "IMAPISupport::SpoolerYield");
        return ((TransportLogonRecord) owner).takeCancel() ? HResult.MAPI_W_CANCEL_MESSAGE : HResult.S_OK;
    }

    @Override
    protected void onFinalRelease() {
        owner.session.trace("IMAPISupport::Release", owner.label, 0);
        owner.supportReleased();
        owner.session.traceReturn("IMAPISupport::Release", owner.label, 0, HResult.S_OK);
    }

    @Override
    protected String describe() {
        return kind + " support object of " + owner.label;
    }
}
