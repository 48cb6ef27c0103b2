/**
 * Local delivery ({@code jmapi.local}): a transport that delivers SMTP-addressed mail for the local domains into a
 * maildrop directory (a Maildir per mailbox) and receives a mailbox's own mail from there, so mail moves between
 * the stores of one machine, across processes, with no mail server. See
 * {@link org.jmapi.transport.local.LocalTransportService} for the configuration.
 */
package org.jmapi.transport.local;
