package org.jmapi.store;

/**
 * The kinds of spooler work {@code IMAPISupport::StoreLogoffTransports} asks about (spec &sect;11.3, R-SLT-4).
 */
public enum ActivityKind {
    /** A received message is being written into the store (LOGOFF_INBOUND). */
    INBOUND,
    /** A message of the store is being sent (LOGOFF_OUTBOUND). */
    OUTBOUND
}
