/**
 * jmapi's message store provider over {@link org.jmapi.store.Storage}: the message service
 * {@code "jmapi.sqlite-store"} ({@link org.jmapi.store.provider.SqliteStoreService}, found by
 * {@link java.util.ServiceLoader}), its IMSProvider, and the MAPI objects of a store logon: the store (built on
 * {@link org.jmapi.spi.BaseMsgStore}, so the shutdown protocol R-SL-1..9 holds unchanged), folders, messages,
 * attachments, the status object and the tables (contents tables run their sorts and restrictions in the storage;
 * hierarchy, outgoing-queue, recipient and attachment tables are {@link org.jmapi.table.TableData} views).
 *
 * <p>Only the service is public; everything else is reached through the MAPI interfaces of {@code org.jmapi.client}
 * and {@code org.jmapi.spi}. Every object a logon hands out is registered with the logon and is invalid after its
 * logoff (R-INV-2). Changes are visible to other logons on the same file at once, and to other processes within the
 * store file's poll interval.
 */
package org.jmapi.store.provider;
