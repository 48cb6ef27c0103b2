package org.jmapi.spi;

import org.jmapi.MapiUid;

import java.util.List;

/**
 * What {@link XpLogon#addressTypes} returns: the transport's routing registration, valid and unchanged until
 * TransportLogoff (R-XP-3, R-UID-5). Immutable.
 *
 * @param types the address types handled (e.g. {@code "SMTP"}); null = every type; a single empty string = none
 * @param uids  MAPIUIDs of recipient entry ids the transport delivers directly
 */
public record AddressTypes(List<String> types, List<MapiUid> uids) {
    /**
     * Copies the lists (null {@code types} stays null).
     *
     * @param types the address types handled; null = every type
     * @param uids  MAPIUIDs the transport delivers directly; null = none
     */
    public AddressTypes {
        types = types == null ? null : List.copyOf(types);
        uids = uids == null ? List.of() : List.copyOf(uids);
    }
}
