package org.jmapi.store.engine;

import org.jmapi.HResult;
import org.jmapi.MapiException;

import java.util.ArrayList;
import java.util.List;

/**
 * Message-class rules of receive folders (IMsgStore::GetReceiveFolder / SetReceiveFolder, R-RF-1): classes are
 * dot-separated segments compared ignoring ASCII case; a class falls back to its base classes by stripping trailing
 * ".segment"s, and finally to the default class "". Pure functions; thread-safe.
 */
public final class ReceiveClasses {
    private ReceiveClasses() {}

    /**
     * @param messageClass a class, or null
     * @return the class ("" for null)
     * @throws MapiException MAPI_E_INVALID_PARAMETER for an empty segment ("IPM..Note", ".IPM", "IPM.") or U+0000
     */
    public static String check(String messageClass) {
        String cls = messageClass == null ? "" : messageClass;
        if (cls.isEmpty()) {
            return cls;
        }
        if (cls.indexOf('\0') >= 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "a message class cannot contain U+0000");
        }
        for (String segment : cls.split("\\.", -1)) {
            if (segment.isEmpty()) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "message class '" + cls
                        + "' has an empty segment; classes look like 'IPM.Note.Custom'");
            }
        }
        return cls;
    }

    /**
     * @param messageClass a class
     * @return the key registrations are compared by: the class with ASCII letters in upper case
     */
    public static String key(String messageClass) {
        return asciiUpper(messageClass);
    }

    private static String asciiUpper(String s) {
        char[] a = s.toCharArray();
        for (int i = 0; i < a.length; i++) {
            if (a[i] >= 'a' && a[i] <= 'z') {
                a[i] = (char) (a[i] - 32);
            }
        }
        return new String(a);
    }

    /**
     * @param messageClass a class ("" for the default)
     * @return the class, then its base classes nearest first, then "": the order registrations are tried in
     */
    public static List<String> candidates(String messageClass) {
        List<String> out = new ArrayList<>();
        String cls = messageClass;
        while (!cls.isEmpty()) {
            out.add(cls);
            int dot = cls.lastIndexOf('.');
            cls = dot < 0 ? "" : cls.substring(0, dot);
        }
        out.add("");
        return out;
    }
}
