/**
 * What jmapi's receive-only mail-server transports (POP3 in {@code org.jmapi.transport.pop3}, IMAP in
 * {@code org.jmapi.transport.imap}) share: the account settings read from the profile ({@link
 * org.jmapi.transport.inbound.InboundSettings}), the connection with its TLS modes ({@link
 * org.jmapi.transport.inbound.MailConnection}), message data that is known to be complete ({@link
 * org.jmapi.transport.inbound.MessageStream}), the exact-duplicate check ({@link
 * org.jmapi.transport.inbound.DuplicateCheck}), and the inbound contract of spec &sect;10.4 written once in {@link
 * org.jmapi.transport.inbound.BaseInboundLogon}: save first, delete at the server after, at least once, never lost.
 */
package org.jmapi.transport.inbound;
