/**
 * The SMTP transport ({@code jmapi.smtp}): {@link org.jmapi.transport.smtp.SmtpTransportService} (configuration,
 * the tags and their defaults) and {@link org.jmapi.transport.smtp.SmtpLogon} (what a send does with each server
 * reply, connection reuse, cancel and logoff). The SMTP client is this package's own, on {@link java.net.Socket} and
 * {@code javax.net.ssl}: EHLO/HELO, STARTTLS, implicit TLS, AUTH PLAIN and LOGIN, SIZE, 8BITMIME, SMTPUTF8,
 * PIPELINING, dot-stuffing, timeouts, kept connections (RSET only after a transaction that did not end).
 */
package org.jmapi.transport.smtp;
