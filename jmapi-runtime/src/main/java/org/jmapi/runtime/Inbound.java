package org.jmapi.runtime;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.Notification;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MessageRef;

import java.util.Optional;

/**
 * The spooler's receive loop (spec &sect;10.4): for a transport whose Poll answered a count (LOGON_SP_POLL) or that
 * signalled NOTIFY_NEWMAIL — both only between NOTIFY_BEGIN_INBOUND and NOTIFY_END_INBOUND (R-RCV-1) — the spooler
 * creates a message in the receiving store's default receive folder and calls StartMessage (R-RCV-2); a message
 * the transport saved is announced with NotifyNewMail on the store (R-RCV-3), one the transport did not save
 * means "no more mail". The receiving store is the profile's default store; each message is one INBOUND transfer
 * of its {@link StoreActivity}, so LOGOFF_* flags see it, and no new one starts once the store stopped taking
 * inbound mail (R-SLT-7..9). A StartMessage that fails leaves nothing in the store; the transport keeps the mail
 * at its source (R-MAIL-3). Runs on the spooler's inbound thread (and on its mail thread for a flush's
 * download), one StartMessage at a time per transport.
 */
final class Inbound {
    /** The most messages taken from one transport in one pass, so sending is not starved. */
    private static final int BATCH = 100;

    private final Spooler spooler;
    private final RealSession session;

    Inbound(Spooler spooler, RealSession session) {
        this.spooler = spooler;
        this.session = session;
    }

    /**
     * Receives what {@code t} has for the default store.
     *
     * @param t     a transport with inbound enabled
     * @param force a flush (FLUSH_DOWNLOAD): receive even without a poll count or NOTIFY_NEWMAIL
     * @return messages stored
     */
    int receive(TransportLogonRecord t, boolean force) {
        if (!spooler.available(t, false) || t.criticalSection) {
            return 0;
        }
        int waiting = 0;
        if ((t.logonFlags & Flags.LOGON_SP_POLL) != 0 && spooler.pollDue(t)) {
            session.trace("IXPLogon::Poll", t.label, 0);
            try {
                waiting = t.logon().poll();
                session.traceReturn("IXPLogon::Poll", t.label, waiting, HResult.S_OK);
            } catch (MapiException e) {
                session.traceReturn("IXPLogon::Poll", t.label, 0, e.hresult());
            }
        }
        boolean signalled = t.newMailSignalled;
        t.newMailSignalled = false;
        if (waiting == 0 && !signalled && !force) {
            return 0;
        }
        Optional<Spooler.SpoolerStore> target = spooler.receivingStore();
        if (target.isEmpty()) {
            t.newMailSignalled |= signalled; // nobody to receive into yet: keep the signal
            return 0;
        }
        int stored = 0;
        int limit = signalled || force ? BATCH : Math.min(waiting, BATCH);
        t.receiving.lock(); // one StartMessage at a time per transport, whichever spooler thread asks
        try {
            while (stored < limit && !spooler.stopping()) {
                if (!receiveOne(t, target.get())) {
                    break;
                }
                stored++;
            }
        } finally {
            t.receiving.unlock();
        }
        return stored;
    }

    /** @return whether a message was stored */
    private boolean receiveOne(TransportLogonRecord t, Spooler.SpoolerStore ss) {
        ss.use.readLock().lock();
        try {
            if (!ss.serving() || !t.inboundEnabled || !t.isActive()) {
                return false;
            }
            Optional<StoreActivity.Transfer> transfer = ss.activity.tryBeginInbound();
            if (transfer.isEmpty()) {
                return false; // the store takes no new inbound mail (R-SLT-7..9)
            }
            try (StoreActivity.Transfer tr = transfer.get()) {
                MsgStore store = ss.record.store();
                MsgStore.ReceiveFolder rf = store.getReceiveFolder("IPM.Note", 0);
                try (MapiFolder folder = (MapiFolder) store.openEntry(rf.folderId(), Flags.MAPI_MODIFY);
                     Message msg = folder.createMessage(0)) {
                    MessageRef ref = new MessageRef(1);
                    session.trace("IXPLogon::StartMessage", t.label, 0);
                    try {
                        t.logon().startMessage(0, msg, ref);
                        session.traceReturn("IXPLogon::StartMessage", t.label, ref.value(), HResult.S_OK);
                    } catch (MapiException e) {
                        session.traceReturn("IXPLogon::StartMessage", t.label, 0, e.hresult());
                        return false; // R-RCV-2: nothing stored; the transport keeps the mail
                    }
                    Optional<PropValue> eid = msg.getProp(PropTags.PR_ENTRYID);
                    if (eid.isEmpty()) {
                        return false; // returned without SaveChanges: no message (R-RCV-2)
                    }
                    String cls = msg.getProp(PropTags.PR_MESSAGE_CLASS).map(PropValue::asString).orElse("IPM.Note");
                    int flags = msg.getProp(PropTags.PR_MESSAGE_FLAGS).map(PropValue::asInt).orElse(0);
                    session.trace("IMsgStore::NotifyNewMail", "spooler", 0);
                    store.notifyNewMail(new Notification.NewMail(EntryId.of(eid.get().asBinary()), rf.folderId(), 0,
                            cls, flags));
                    return true;
                }
            }
        } catch (MapiException e) {
            return false; // the store is going away: the mail stays at its source (R-MAIL-3)
        } finally {
            ss.use.readLock().unlock();
        }
    }
}
