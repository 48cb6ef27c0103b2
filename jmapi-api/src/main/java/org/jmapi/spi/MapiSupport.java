package org.jmapi.spi;

import org.jmapi.AdviseSink;
import org.jmapi.EntryId;
import org.jmapi.MapiObject;
import org.jmapi.MapiUid;
import org.jmapi.Notification;
import org.jmapi.client.Message;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropValue;

import java.util.List;

/**
 * IMAPISupport: everything a provider may ask of MAPI. Providers see MAPI only through this object.
 *
 * <p>MAPI creates one support object per logon (per opened store, R-MS-2; per transport logon; per address-book
 * logon) and one per message-service entry-point call. Which methods work depends on {@link #kind()}, exactly as
 * the table of spec &sect;8.1 says; the others throw MAPI_E_NO_SUPPORT (R-SUP-1).
 *
 * <p><b>Ownership.</b> A provider that logs on AddRefs its support object and keeps it for the logon's life
 * (R-LOGON-1), releasing it last in its logoff (R-LOFF-1). The final release of a logon's support object is what
 * makes MAPI run the logon's release chain: UIDs unregistered, status rows removed, logoff, logon released,
 * provider shut down after its last logon (R-SR-1, R-LOFF-4). A service support object is valid only during the
 * entry-point call (R-PROF-6).
 *
 * <p><b>After logoff.</b> Once the logon's support object was finally released every method throws
 * MAPI_E_INVALID_OBJECT. <b>Threads:</b> any; {@link #storeLogoffTransports} with LOGOFF_PURGE or an idle
 * LOGOFF_ABORT blocks until the spooler is done with the store.
 */
public interface MapiSupport extends MapiObject {

    /** The four kinds of support object of spec &sect;8.1. */
    enum Kind {
        /** Given to an address-book logon. */
        ADDRESS_BOOK,
        /** Given to a message-store logon (client or spooler). */
        STORE,
        /** Given to a transport logon. */
        TRANSPORT,
        /** Given to a message-service entry point. */
        SERVICE
    }

    /** @return which methods this support object implements (spec &sect;8.1) */
    Kind kind();

    /**
     * Not part of IMAPISupport: the lifecycle trace of the session, bound to this logon's object label, for the
     * client calls only the provider sees (ARCHITECTURE.md &sect;7). Works after logoff too.
     *
     * @return the tracer; {@link Tracer#NONE} when tracing is off
     */
    default Tracer tracer() {
        return Tracer.NONE;
    }

    /** @return IMAPISupport::NewUID: a fresh random UID, for search keys, never a registered one (R-UID-2) */
    MapiUid newUid();

    /**
     * IMAPISupport::OpenProfileSection (R-PROF-2).
     *
     * @param uid   the section, or null for the calling provider's (or service's) own section
     * @param flags 0 (read-only) or MAPI_MODIFY
     * @return the section, one reference owned by the caller
     * @throws org.jmapi.MapiException MAPI_E_NOT_FOUND when absent and read-only; MAPI_E_UNKNOWN_FLAGS
     */
    ProfileSection openProfileSection(MapiUid uid, int flags);

    /**
     * IMAPISupport::MakeInvalid (R-INV-1): the object answers only IUnknown from now on.
     *
     * @param flags  0
     * @param object an object the caller created ({@link org.jmapi.BaseMapiObject})
     */
    void makeInvalid(int flags, MapiObject object);

    /**
     * IMAPISupport::SetProviderUID (R-UID-1): appends a UID to this logon's registration; AB and store only.
     *
     * @param uid   the stable UID (R-UID-2)
     * @param flags 0
     */
    void setProviderUid(MapiUid uid, int flags);

    /**
     * IMAPISupport::Subscribe (R-NTF-2).
     *
     * @param key       the advise source key, non-null (usually the watched object's long-term entry id)
     * @param eventMask fnev* bits
     * @param flags     0 or NOTIFY_SYNC (provider-internal subscriptions only)
     * @param sink      AddRef'ed until {@link #unsubscribe} if it is a {@link MapiObject}
     * @return a non-zero connection
     */
    int subscribe(byte[] key, int eventMask, int flags, AdviseSink sink);

    /**
     * IMAPISupport::Unsubscribe (R-NTF-2).
     *
     * @param connection from {@link #subscribe}
     * @throws org.jmapi.MapiException MAPI_E_NOT_FOUND for an unknown connection
     */
    void unsubscribe(int connection);

    /**
     * IMAPISupport::Notify (R-NTF-2, R-NTF-3): delivers to every subscription on {@code key} whose mask matches;
     * asynchronously unless the subscription was NOTIFY_SYNC.
     *
     * @param key           the advise source key
     * @param notifications the events, copied
     * @return 0, or NOTIFY_CANCELED when a synchronous sink returned CALLBACK_DISCONTINUE
     */
    int notify(byte[] key, List<Notification> notifications);

    /**
     * IMAPISupport::ModifyStatusRow (R-ST-3): adds this logon's row (flags 0) or merges columns into it
     * (STATUSROW_UPDATE). MAPI computes PR_ENTRYID, PR_INSTANCE_KEY, PR_ROWID, PR_OBJECT_TYPE and supplies
     * PR_PROVIDER_DLL_NAME, PR_RESOURCE_FLAGS, PR_RESOURCE_TYPE whatever is passed (R-ST-2).
     *
     * @param props the provider's columns: PR_DISPLAY_NAME, PR_STATUS_CODE, PR_RESOURCE_METHODS, ...
     * @param flags 0 or STATUSROW_UPDATE
     */
    void modifyStatusRow(List<PropValue> props, int flags);

    /**
     * IMAPISupport::OpenEntry: the session's OpenEntry, for providers.
     *
     * @param entryId any routable id
     * @param flags   0, MAPI_MODIFY, MAPI_BEST_ACCESS
     * @return the object, one reference owned by the caller
     */
    MapiObject openEntry(EntryId entryId, int flags);

    /**
     * IMAPISupport::CompareEntryIDs.
     *
     * @param a     an id
     * @param b     another
     * @param flags 0
     * @return whether they name the same object
     */
    boolean compareEntryIds(EntryId a, EntryId b, int flags);

    /**
     * IMAPISupport::WrapStoreEntryID (R-UID-8).
     *
     * @param unwrapped the provider's own store entry id
     * @return the form clients see
     */
    EntryId wrapStoreEntryId(EntryId unwrapped);

    /**
     * IMAPISupport::StoreLogoffTransports (R-SLT-1..10): asks the spooler to let go of this store, deciding from
     * the store's real activity per the table of spec &sect;11.3. Store support only.
     *
     * @param flags exactly one LOGOFF_* input flag
     * @return LOGOFF_COMPLETE and/or the activity bits
     */
    int storeLogoffTransports(int flags);

    /**
     * IMAPISupport::PrepareSubmit (R-SUB-4): readies a message that is sent again (MSGFLAG_RESEND). Every recipient
     * whose PR_RECIPIENT_TYPE has MAPI_SUBMITTED loses that bit and gets PR_RESPONSIBILITY = FALSE; every other
     * recipient gets MAPI_P1 ORed into its type and PR_RESPONSIBILITY = TRUE. Changes the message's recipient table
     * (not saved). Store support only; a store calls it from its SubmitMessage (R-SUB-2).
     *
     * @param message the message being submitted, owned by the caller
     * @param flags   0
     * @return the output flags: 0
     */
    int prepareSubmit(Message message, int flags);

    /**
     * IMAPISupport::ExpandRecips (R-SUB-2): the step of a store's SubmitMessage that resolves the recipient
     * table for sending and tells the store whether the spooler must handle the message. jmapi fills in
     * PR_DISPLAY_TO / PR_DISPLAY_CC / PR_DISPLAY_BCC from the recipients (not saved: the store saves), and answers
     * NEEDS_SPOOLER when any recipient is still to be sent (PR_RESPONSIBILITY FALSE) and no transport is tightly
     * coupled to the store (jmapi has none); NEEDS_PREPROCESSING when a registered preprocessor applies (none can be
     * registered yet). Store support only.
     *
     * @param message the message being submitted, owned by the caller
     * @return NEEDS_PREPROCESSING and/or NEEDS_SPOOLER
     */
    int expandRecips(Message message);

    /**
     * IMAPISupport::ModifyProfile (R-MS-6): makes the store's section permanent and lists it in the message-store
     * table; a no-op returning normally with MDB_TEMPORARY. Store support only.
     *
     * @param flags 0 or MDB_TEMPORARY
     */
    void modifyProfile(int flags);

    /**
     * IMAPISupport::SpoolerNotify (R-TN-2). Store support accepts NOTIFY_READYTOSEND and NOTIFY_NEWMAIL_RECEIVED;
     * transport support every flag but NOTIFY_NEWMAIL_RECEIVED. Never blocks a logon in progress (R-LOGON-5).
     *
     * @param flags NOTIFY_* bits
     * @param data  the SBinary entry id for NOTIFY_SENTDEFERRED, the NEWMAIL_NOTIFICATION for
     *              NOTIFY_NEWMAIL_RECEIVED, else null
     */
    void spoolerNotify(int flags, Object data);

    /**
     * IMAPISupport::StatusRecips (R-XPS-5): a transport reports recipients it could not deliver (or, with
     * PR_DELIVER_TIME and no PR_NDR_REASON_CODE, delivered with a delivery report requested). MAPI writes one
     * report message (message class REPORT.&lt;class&gt;.NDR or .DR) into the sender's store, in the receive folder
     * for that class, and raises new-mail notifications for it. Call it once per set of recipients, so the sender
     * gets one report, not one per recipient. Transport support only.
     *
     * <p>Each row holds the recipient's PR_DISPLAY_NAME, PR_EMAIL_ADDRESS, PR_ADDRTYPE, PR_RECIPIENT_TYPE and, for
     * a failure, PR_NDR_REASON_CODE, PR_NDR_DIAG_CODE and PR_REPORT_TEXT (the server's answer). The message is the
     * one the transport got from SubmitMessage; it stays owned by the spooler. On success MAPI owns the rows.
     *
     * @param message    the outbound message being reported on
     * @param recipients one property row per reported recipient
     * @throws org.jmapi.MapiException MAPI_E_INVALID_PARAMETER for an empty list or a null message
     */
    void statusRecips(Message message, List<List<PropValue>> recipients);

    /**
     * IMAPISupport::SpoolerYield (R-TN-3). Transport support only.
     *
     * @param flags 0
     * @return S_OK, or MAPI_W_CANCEL_MESSAGE when the message in progress should be cancelled
     */
    int spoolerYield(int flags);
}
