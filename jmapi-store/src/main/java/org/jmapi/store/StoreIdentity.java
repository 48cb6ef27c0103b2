package org.jmapi.store;

import org.jmapi.MapiUid;

import java.time.Instant;

/**
 * Who a store is: the row written once when the store was created. Immutable.
 *
 * @param storeUid      the store's MAPIUID, fixed at creation (the record key and entry-id prefix the MAPI layer
 *                      builds on; R-UID-2 wants it stable, which it is: it never changes)
 * @param displayName   the store's display name (PR_DISPLAY_NAME of the store)
 * @param created       when the store was created
 * @param rootFolderId  the id of the root folder
 * @param schemaVersion the schema version of the store
 */
public record StoreIdentity(MapiUid storeUid, String displayName, Instant created, long rootFolderId,
                            int schemaVersion) {}
