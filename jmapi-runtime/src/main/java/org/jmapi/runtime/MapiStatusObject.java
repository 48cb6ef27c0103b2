package org.jmapi.runtime;

import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.MapiStatus;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.prop.PropertyBag;

import java.util.List;

/**
 * MAPI's own status objects (R-ST-7): the subsystem's and the address book's support only ValidateState; the
 * spooler's also FlushQueues. Read-only; invalid after the session's logoff.
 */
final class MapiStatusObject extends BaseMapiObject implements MapiStatus {
    enum Kind { SUBSYSTEM, SPOOLER, ADDRESS_BOOK }

    private static final int VALIDATE_FLAGS = Flags.SUPPRESS_UI | Flags.REFRESH_XP_HEADER_CACHE
            | Flags.PROCESS_XP_HEADER_CACHE | Flags.FORCE_XP_CONNECT | Flags.FORCE_XP_DISCONNECT
            | Flags.CONFIG_CHANGED | Flags.ABORT_XP_HEADER_OPERATION | Flags.SHOW_XP_SESSION_UI;
    private static final int FLUSH_FLAGS = Flags.FLUSH_UPLOAD | Flags.FLUSH_DOWNLOAD | Flags.FLUSH_FORCE
            | Flags.FLUSH_NO_UI | Flags.FLUSH_ASYNC_OK;

    private final RealSession session;
    private final Kind kind;
    private final PropertyBag props = new PropertyBag();

    MapiStatusObject(RealSession session, Kind kind, List<PropValue> row) {
        this.session = session;
        this.kind = kind;
        row.forEach(props::putComputed);
        props.setReadOnly(true);
    }

    @Override
    public void validateState(long uiParam, int flags) {
        checkValid();
        Flags.checkKnown(flags, VALIDATE_FLAGS, "IMAPIStatus::ValidateState");
        switch (kind) {
            case SPOOLER -> {
                if ((flags & Flags.CONFIG_CHANGED) != 0) {
                    session.spooler.refreshAddressTypes();
                } else {
                    session.spooler.validateTransports(uiParam, flags);
                }
            }
            case ADDRESS_BOOK -> session.profile.reload();
            case SUBSYSTEM -> session.profile.reload();
        }
    }

    @Override
    public void settingsDialog(long uiParam, int flags) {
        checkValid();
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "MAPI's status objects have no settings dialog (R-ST-7)");
    }

    @Override
    public void changePassword(String oldPassword, String newPassword, int flags) {
        checkValid();
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "MAPI's status objects have no password (R-ST-7)");
    }

    @Override
    public void flushQueues(long uiParam, EntryId target, int flags) {
        checkValid();
        if (kind != Kind.SPOOLER) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "only the spooler's status object flushes (R-ST-7)");
        }
        Flags.checkKnown(flags, FLUSH_FLAGS, "IMAPIStatus::FlushQueues");
        session.spooler.flushQueues(target, flags);
    }

    @Override
    public PropValues getProps(int[] tags, int flags) {
        checkValid();
        return props.getProps(tags, flags);
    }

    @Override
    public List<PropProblem> setProps(List<PropValue> values) {
        checkValid();
        return props.setProps(values);
    }

    @Override
    public List<PropProblem> deleteProps(int[] tags) {
        checkValid();
        return props.deleteProps(tags);
    }

    @Override
    public int[] getPropList(int flags) {
        checkValid();
        return props.getPropList(flags);
    }

    @Override
    public void saveChanges(int flags) {
        checkValid();
    }

    @Override
    public int[] getIdsFromNames(List<NamedProperty> names, int flags) {
        checkValid();
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "status objects have no named properties");
    }

    @Override
    public List<NamedProperty> getNamesFromIds(int[] tags) {
        checkValid();
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "status objects have no named properties");
    }

    @Override
    protected String describe() {
        return "MAPI " + kind + " status object of " + session.label;
    }
}
