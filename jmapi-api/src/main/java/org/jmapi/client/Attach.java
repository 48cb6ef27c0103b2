package org.jmapi.client;

import org.jmapi.prop.MapiProp;

/**
 * IAttach: an attachment of a {@link Message}, transacted like its message (R-FM-4): visible after its own
 * SaveChanges and then the message's.
 *
 * <p><b>Ownership:</b> owned by whoever received it from {@code createAttach}/{@code openAttach}. <b>After
 * logoff</b> or after the message was submitted: MAPI_E_INVALID_OBJECT. <b>Threads:</b> any.
 */
public interface Attach extends MapiProp {
}
