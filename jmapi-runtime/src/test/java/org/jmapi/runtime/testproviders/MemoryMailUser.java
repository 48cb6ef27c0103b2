package org.jmapi.runtime.testproviders;

import org.jmapi.Flags;
import org.jmapi.prop.PropValue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static org.jmapi.prop.PropTags.*;

/**
 * A mail user of the memory address book (MAPI_MAILUSER): PR_DISPLAY_NAME, PR_EMAIL_ADDRESS, PR_ADDRTYPE "SMTP",
 * PR_ENTRYID, PR_RECORD_KEY, PR_SEARCH_KEY ("SMTP:" + upper-case address) and PR_OBJECT_TYPE. Read-only.
 */
final class MemoryMailUser extends MemoryAbObject {
    /** @param logon the logon @param address the SMTP address @param displayName the display name */
    MemoryMailUser(MemoryAbLogon logon, String address, String displayName) {
        super(logon, List.of(
                PropValue.ofString(PR_DISPLAY_NAME, displayName),
                PropValue.ofString(PR_EMAIL_ADDRESS, address),
                PropValue.ofString(PR_ADDRTYPE, "SMTP"),
                PropValue.ofBinary(PR_ENTRYID, MemoryAbProvider.entryIdOf(address).toBytes()),
                PropValue.ofBinary(PR_RECORD_KEY, MemoryAbProvider.entryIdOf(address).toBytes()),
                PropValue.ofBinary(PR_SEARCH_KEY,
                        ("SMTP:" + address.toUpperCase(Locale.ROOT)).getBytes(StandardCharsets.US_ASCII)),
                PropValue.ofInt(PR_OBJECT_TYPE, Flags.MAPI_MAILUSER)));
    }

    @Override
    protected String describe() {
        return "memory-address-book mail user";
    }
}
