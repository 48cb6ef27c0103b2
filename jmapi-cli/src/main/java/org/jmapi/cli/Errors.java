package org.jmapi.cli;

import org.jmapi.HResult;
import org.jmapi.MapiException;

/**
 * Turns a {@link MapiException} into the one line the command prints: what went wrong in words, what to do where
 * there is something obvious to do, and the MAPI code in brackets for people who look it up.
 */
final class Errors {
    private Errors() {}

    /**
     * @param e the error
     * @return the line, without the "jmapi: " prefix
     */
    static String describe(MapiException e) {
        int hr = e.hresult();
        String name = HResult.name(hr);
        String detail = detail(e);
        String advice = switch (hr) {
            case HResult.MAPI_E_LOGON_FAILED -> detail.contains("profile")
                    ? "; 'jmapi profile list' shows the profiles of this home" : "";
            case HResult.MAPI_E_BUSY -> "; another process holds the store file's lock: try again, or stop it";
            case HResult.MAPI_E_CORRUPT_STORE -> "; the file is not a jmapi store or is damaged (it was left untouched)";
            case HResult.MAPI_E_VERSION -> "; a newer jmapi wrote this file";
            case HResult.MAPI_E_NETWORK_ERROR -> "; check the host, the port and the network";
            case HResult.MAPI_E_NO_ACCESS -> "";
            default -> "";
        };
        return detail + advice + " (" + name + ")";
    }

    /** @return the exception's message without the leading "MAPI_E_...: " */
    private static String detail(MapiException e) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        String prefix = HResult.name(e.hresult()) + ": ";
        return msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg;
    }
}
