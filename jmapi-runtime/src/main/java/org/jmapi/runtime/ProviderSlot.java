package org.jmapi.runtime;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.runtime.profile.ProviderRecord;
import org.jmapi.spi.MessageService;
import org.jmapi.spi.ServiceProvider;

/**
 * One configured provider of a session and the provider object loaded for it (R-LOAD-3): at most one object at a
 * time, created by the service's init entry point at first use, shut down and released after its last logon
 * (R-SR-1 steps 6-7, R-LOFF-2, R-LOFF-4, R-AB-3). A later use in the same session loads a new object.
 */
final class ProviderSlot {
    final RealSession session;
    final ProviderRecord record;
    final MessageService service;
    private ServiceProvider provider;
    private String label;
    private int liveLogons;

    ProviderSlot(RealSession session, ProviderRecord record, MessageService service) {
        this.session = session;
        this.record = record;
        this.service = service;
    }

    /** @return the provider object, loading it with the init entry point when there is none (R-LOAD-1, R-LOAD-2) */
    synchronized ServiceProvider provider() {
        if (provider == null) {
            String init = switch (record.kind()) {
                case STORE -> "MSProviderInit";
                case TRANSPORT -> "XPProviderInit";
                case ADDRESS_BOOK -> "ABProviderInit";
            };
            String next = session.subsystem.nextLabel(prefix());
            session.trace(init, next, Flags.CURRENT_SPI_VERSION);
            ServiceProvider p;
            try {
                p = switch (record.kind()) {
                    case STORE -> service.msProviderInit(Flags.CURRENT_SPI_VERSION);
                    case TRANSPORT -> service.xpProviderInit(Flags.CURRENT_SPI_VERSION);
                    case ADDRESS_BOOK -> service.abProviderInit(Flags.CURRENT_SPI_VERSION);
                };
            } catch (MapiException e) {
                session.traceReturn(init, next, 0, e.hresult());
                throw e;
            }
            int version = p.spiVersion();
            if ((version >>> 24) != (Flags.CURRENT_SPI_VERSION >>> 24) || version > Flags.CURRENT_SPI_VERSION) {
                p.release();
                session.traceReturn(init, next, version, HResult.MAPI_E_VERSION);
                throw new MapiException(HResult.MAPI_E_VERSION, record.serviceName() + " reports SPI version "
                        + HResult.hex(version) + ", this runtime speaks " + HResult.hex(Flags.CURRENT_SPI_VERSION));
            }
            session.traceReturn(init, next, version, HResult.S_OK);
            provider = p;
            label = next;
        }
        return provider;
    }

    private String prefix() {
        return switch (record.kind()) {
            case STORE -> "msp";
            case TRANSPORT -> "xpp";
            case ADDRESS_BOOK -> "abp";
        };
    }

    synchronized String label() {
        return label;
    }

    synchronized boolean loaded() {
        return provider != null;
    }

    synchronized void logonStarted() {
        liveLogons++;
    }

    /**
     * A logon of this provider object was released; after the last: Shutdown(0), then Release (R-SR-1).
     * {@code released} runs under this slot's lock just before the count goes down, so whatever it records is
     * ordered as the count is.
     */
    void logonEnded(Runnable released) {
        ServiceProvider p;
        String l;
        synchronized (this) {
            released.run();
            liveLogons--;
            if (liveLogons > 0 || provider == null) {
                return;
            }
            p = provider;
            l = label;
            provider = null;
        }
        shutDown(p, l);
    }

    /** Shuts down a provider object that has no logon (a failed first logon, or the session's end). */
    void shutDownIfIdle() {
        ServiceProvider p;
        String l;
        synchronized (this) {
            if (liveLogons > 0 || provider == null) {
                return;
            }
            p = provider;
            l = label;
            provider = null;
        }
        shutDown(p, l);
    }

    private void shutDown(ServiceProvider p, String l) {
        String iface = switch (record.kind()) {
            case STORE -> "IMSProvider";
            case TRANSPORT -> "IXPProvider";
            case ADDRESS_BOOK -> "IABProvider";
        };
        session.trace(iface + "::Shutdown", l, 0);
        int hr = HResult.S_OK;
        try {
            p.shutdown(0);
        } catch (MapiException e) {
            hr = e.hresult();
        }
        session.traceReturn(iface + "::Shutdown", l, 0, hr);
        session.trace(iface + "::Release", l, 0);
        p.release();
        session.traceReturn(iface + "::Release", l, 0, HResult.S_OK);
    }

    synchronized int liveLogons() {
        return liveLogons;
    }
}
