package org.jmapi.runtime.testproviders;

import org.jmapi.Flags;
import org.jmapi.prop.PropValue;

import java.util.List;

import static org.jmapi.prop.PropTags.*;

/**
 * The root container of the memory address book (MAPI_ABCONT): PR_DISPLAY_NAME, PR_ENTRYID, PR_RECORD_KEY and
 * PR_OBJECT_TYPE only; it offers no contents table. Read-only.
 */
final class MemoryAbContainer extends MemoryAbObject {
    /** @param logon the logon */
    MemoryAbContainer(MemoryAbLogon logon) {
        super(logon, List.of(
                PropValue.ofString(PR_DISPLAY_NAME, MemoryAbService.DISPLAY_NAME),
                PropValue.ofBinary(PR_ENTRYID, MemoryAbProvider.rootEntryId().toBytes()),
                PropValue.ofBinary(PR_RECORD_KEY, MemoryAbProvider.rootEntryId().toBytes()),
                PropValue.ofInt(PR_OBJECT_TYPE, Flags.MAPI_ABCONT)));
    }

    @Override
    protected String describe() {
        return "memory-address-book root container";
    }
}
