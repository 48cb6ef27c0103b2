package org.jmapi.spi;

import org.jmapi.Flags;

/** The three kinds of service provider, with the PR_RESOURCE_TYPE each has in the profile and status table. */
public enum ProviderKind {
    /** A message store provider (MSProviderInit, IMSProvider). */
    STORE(Flags.MAPI_STORE_PROVIDER),
    /** A transport provider (XPProviderInit, IXPProvider). */
    TRANSPORT(Flags.MAPI_TRANSPORT_PROVIDER),
    /** An address-book provider (ABProviderInit, IABProvider). */
    ADDRESS_BOOK(Flags.MAPI_AB_PROVIDER);

    /** PR_RESOURCE_TYPE of this kind. */
    private final int resourceType;

    /** @param resourceType PR_RESOURCE_TYPE of this kind */
    ProviderKind(int resourceType) {
        this.resourceType = resourceType;
    }

    /** @return PR_RESOURCE_TYPE: MAPI_STORE_PROVIDER, MAPI_TRANSPORT_PROVIDER or MAPI_AB_PROVIDER */
    public int resourceType() {
        return resourceType;
    }
}
