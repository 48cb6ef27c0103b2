package org.jmapi.runtime.profile;

import org.jmapi.Flags;
import org.jmapi.MapiUid;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.ProviderKind;
import org.jmapi.table.MapiTable;
import org.jmapi.table.TableData;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The administration tables: profile table, message-service table and provider tables. Each is a snapshot filled
 * once when the table is asked for (R-PROF-7: the service table is static, a provider table never reflects later
 * additions or deletions), so the notifier never runs. String columns are PT_UNICODE with MAPI_UNICODE and
 * PT_STRING8 without it. Stateless; thread-safe.
 */
final class AdminTables {
    /** PR_DEFAULT_PROFILE = 0x3D04000B. */
    static final int PR_DEFAULT_PROFILE = 0x3D04000B;

    private AdminTables() {}

    static MapiTable profileTable(List<String> names, String defaultName, int flags) {
        int display = str(PropTags.PR_DISPLAY_NAME, flags);
        TableData t = new TableData(PropTags.PR_INSTANCE_KEY,
                new int[] {display, PR_DEFAULT_PROFILE, PropTags.PR_INSTANCE_KEY}, Runnable::run);
        int n = 0;
        for (String name : names) {
            t.modifyRow(List.of(
                    PropValue.ofString(display, name),
                    PropValue.ofBoolean(PR_DEFAULT_PROFILE, name.equals(defaultName)),
                    PropValue.ofBinary(PropTags.PR_INSTANCE_KEY, ByteBuffer.allocate(4).putInt(++n).array())));
        }
        return t.openView();
    }

    static MapiTable serviceTable(List<ServiceRecord> services, int flags) {
        int serviceName = str(PropTags.PR_SERVICE_NAME, flags);
        int display = str(PropTags.PR_DISPLAY_NAME, flags);
        TableData t = new TableData(PropTags.PR_INSTANCE_KEY, new int[] {PropTags.PR_SERVICE_UID, serviceName,
                display, PropTags.PR_RESOURCE_FLAGS, PropTags.PR_INSTANCE_KEY}, Runnable::run);
        for (ServiceRecord s : services) {
            t.modifyRow(List.of(
                    PropValue.ofBinary(PropTags.PR_SERVICE_UID, s.uid().toBytes()),
                    PropValue.ofString(serviceName, s.serviceName()),
                    PropValue.ofString(display, s.displayName()),
                    PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, s.resourceFlags()),
                    PropValue.ofBinary(PropTags.PR_INSTANCE_KEY, s.uid().toBytes())));
        }
        return t.openView();
    }

    /**
     * A provider table: the given providers, except that transports come last, in transport order (as MAPI's
     * provider tables list them), numbered by PR_PROVIDER_ORDINAL.
     */
    static MapiTable providerTable(List<ProviderRecord> providers, List<MapiUid> transportOrder, int flags) {
        int display = str(PropTags.PR_DISPLAY_NAME, flags);
        int providerDisplay = str(PropTags.PR_PROVIDER_DISPLAY, flags);
        int serviceName = str(PropTags.PR_SERVICE_NAME, flags);
        int dllName = str(PropTags.PR_PROVIDER_DLL_NAME, flags);
        TableData t = new TableData(PropTags.PR_INSTANCE_KEY, new int[] {PropTags.PR_PROVIDER_UID, display,
                PropTags.PR_RESOURCE_TYPE, PropTags.PR_RESOURCE_FLAGS, PropTags.PR_SERVICE_UID,
                PropTags.PR_INSTANCE_KEY}, Runnable::run);
        List<ProviderRecord> ordered = new ArrayList<>();
        providers.stream().filter(p -> p.kind() != ProviderKind.TRANSPORT).forEach(ordered::add);
        for (MapiUid u : transportOrder) {
            providers.stream().filter(p -> p.uid().equals(u)).forEach(ordered::add);
        }
        int ordinal = 0;
        for (ProviderRecord p : ordered) {
            t.modifyRow(List.of(
                    PropValue.ofBinary(PropTags.PR_PROVIDER_UID, p.uid().toBytes()),
                    PropValue.ofString(display, p.displayName()),
                    PropValue.ofString(providerDisplay, p.displayName()),
                    PropValue.ofInt(PropTags.PR_RESOURCE_TYPE, p.kind().resourceType()),
                    PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, p.resourceFlags()),
                    PropValue.ofBinary(PropTags.PR_SERVICE_UID, p.serviceUid().toBytes()),
                    PropValue.ofString(serviceName, p.serviceName()),
                    PropValue.ofString(dllName, p.serviceName()),
                    PropValue.ofInt(PropTags.PR_PROVIDER_ORDINAL, ordinal++),
                    PropValue.ofBinary(PropTags.PR_INSTANCE_KEY, p.uid().toBytes())));
        }
        return t.openView();
    }

    private static int str(int unicodeTag, int flags) {
        return (flags & Flags.MAPI_UNICODE) != 0 ? unicodeTag : PropTag.withType(unicodeTag, PropType.PT_STRING8);
    }
}
