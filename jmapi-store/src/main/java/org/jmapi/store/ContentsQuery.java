package org.jmapi.store;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.table.Restriction;
import org.jmapi.table.SortOrder;

import java.util.List;

/**
 * A contents-table read (IMAPIFolder::GetContentsTable, then IMAPITable::Restrict / SortTable / QueryRows; spec
 * &sect;9.3): which folder, which of its two tables, which rows, in which order, which page.
 *
 * <p>Order: the sort keys in turn (values compared as {@link org.jmapi.table.Restrictions#compare} does: absent
 * first when ascending), then the message id in the direction of the last key (ascending when there are no keys),
 * so every order is total and stable across calls. Immutable.
 *
 * @param folderId    the folder
 * @param associated  false for the contents table, true for the associated (FAI) contents table
 * @param restriction the filter (R-TBL-3), or null for every message
 * @param sortOrder   the sort keys (R-TBL-4); empty for id order
 * @param offset      how many rows of the ordered result to skip
 * @param limit       how many rows to return at most; {@link #ALL} for no limit
 */
public record ContentsQuery(long folderId, boolean associated, Restriction restriction, List<SortOrder> sortOrder,
                            int offset, int limit) {
    /** No limit. */
    public static final int ALL = Integer.MAX_VALUE;

    /**
     * @param folderId the folder
     * @param associated false for the contents table, true for the associated (FAI) contents table
     * @param restriction the filter (R-TBL-3), or null for every message
     * @param sortOrder the sort keys (R-TBL-4)
     * @param offset how many rows of the ordered result to skip
     * @param limit how many rows to return at most
     * @throws MapiException MAPI_E_INVALID_PARAMETER for a negative offset or limit
     */
    public ContentsQuery {
        sortOrder = List.copyOf(sortOrder);
        if (offset < 0 || limit < 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "offset and limit must not be negative (got " + offset + ", " + limit + ")");
        }
    }

    /**
     * @param folderId the folder
     * @return every ordinary message of the folder in id order
     */
    public static ContentsQuery of(long folderId) {
        return new ContentsQuery(folderId, false, null, List.of(), 0, ALL);
    }

    /**
     * @param r the filter, or null
     * @return a copy with that filter
     */
    public ContentsQuery withRestriction(Restriction r) {
        return new ContentsQuery(folderId, associated, r, sortOrder, offset, limit);
    }

    /**
     * @param keys the sort keys
     * @return a copy with that order
     */
    public ContentsQuery withSort(SortOrder... keys) {
        return new ContentsQuery(folderId, associated, restriction, List.of(keys), offset, limit);
    }

    /**
     * @param keys the sort keys
     * @return a copy with that order
     */
    public ContentsQuery withSort(List<SortOrder> keys) {
        return new ContentsQuery(folderId, associated, restriction, keys, offset, limit);
    }

    /**
     * @param fai whether to read the associated contents table
     * @return a copy
     */
    public ContentsQuery withAssociated(boolean fai) {
        return new ContentsQuery(folderId, fai, restriction, sortOrder, offset, limit);
    }

    /**
     * @param skip rows to skip
     * @param max  rows to return at most
     * @return a copy reading that page
     */
    public ContentsQuery page(int skip, int max) {
        return new ContentsQuery(folderId, associated, restriction, sortOrder, skip, max);
    }
}
