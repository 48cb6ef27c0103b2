package org.jmapi;

import java.util.Map;
import java.util.HashMap;

/**
 * MAPI result codes (HRESULT / SCODE) with the exact values of MAPICode.h (spec &sect;1.1).
 *
 * <p>Codes stay plain {@code int}s so that a trace, a log line or a test compares {@code 0x80040108}, not an enum
 * ordinal. A code is a success, warnings included, iff its top bit is clear (spec C-12): {@link #succeeded(int)}.
 * Errors travel as {@link MapiException}; warnings ({@code MAPI_W_*}) are successes and come back in return values.
 *
 * <p>Thread-safe: constants and pure functions only.
 */
public final class HResult {
    /** Not instantiable. */
    private HResult() {}

    /** S_OK = 0x00000000. */
    public static final int S_OK = 0x00000000;
    /** MAPI_E_CALL_FAILED = 0x80004005. */
    public static final int MAPI_E_CALL_FAILED = 0x80004005;
    /** MAPI_E_NOT_ENOUGH_MEMORY = 0x8007000E. */
    public static final int MAPI_E_NOT_ENOUGH_MEMORY = 0x8007000E;
    /** MAPI_E_INVALID_PARAMETER = 0x80070057. */
    public static final int MAPI_E_INVALID_PARAMETER = 0x80070057;
    /** MAPI_E_INTERFACE_NOT_SUPPORTED = 0x80004002. */
    public static final int MAPI_E_INTERFACE_NOT_SUPPORTED = 0x80004002;
    /** MAPI_E_NO_ACCESS = 0x80070005. */
    public static final int MAPI_E_NO_ACCESS = 0x80070005;
    /** MAPI_E_NO_SUPPORT = 0x80040102. */
    public static final int MAPI_E_NO_SUPPORT = 0x80040102;
    /** MAPI_E_BAD_CHARWIDTH = 0x80040103. */
    public static final int MAPI_E_BAD_CHARWIDTH = 0x80040103;
    /** MAPI_E_STRING_TOO_LONG = 0x80040105. */
    public static final int MAPI_E_STRING_TOO_LONG = 0x80040105;
    /** MAPI_E_UNKNOWN_FLAGS = 0x80040106. */
    public static final int MAPI_E_UNKNOWN_FLAGS = 0x80040106;
    /** MAPI_E_INVALID_ENTRYID = 0x80040107. */
    public static final int MAPI_E_INVALID_ENTRYID = 0x80040107;
    /** MAPI_E_INVALID_OBJECT = 0x80040108. */
    public static final int MAPI_E_INVALID_OBJECT = 0x80040108;
    /** MAPI_E_OBJECT_CHANGED = 0x80040109. */
    public static final int MAPI_E_OBJECT_CHANGED = 0x80040109;
    /** MAPI_E_OBJECT_DELETED = 0x8004010A. */
    public static final int MAPI_E_OBJECT_DELETED = 0x8004010A;
    /** MAPI_E_BUSY = 0x8004010B. */
    public static final int MAPI_E_BUSY = 0x8004010B;
    /** MAPI_E_NOT_ENOUGH_DISK = 0x8004010D. */
    public static final int MAPI_E_NOT_ENOUGH_DISK = 0x8004010D;
    /** MAPI_E_NOT_ENOUGH_RESOURCES = 0x8004010E. */
    public static final int MAPI_E_NOT_ENOUGH_RESOURCES = 0x8004010E;
    /** MAPI_E_NOT_FOUND = 0x8004010F. */
    public static final int MAPI_E_NOT_FOUND = 0x8004010F;
    /** MAPI_E_VERSION = 0x80040110. */
    public static final int MAPI_E_VERSION = 0x80040110;
    /** MAPI_E_LOGON_FAILED = 0x80040111. */
    public static final int MAPI_E_LOGON_FAILED = 0x80040111;
    /** MAPI_E_SESSION_LIMIT = 0x80040112. */
    public static final int MAPI_E_SESSION_LIMIT = 0x80040112;
    /** MAPI_E_USER_CANCEL = 0x80040113. */
    public static final int MAPI_E_USER_CANCEL = 0x80040113;
    /** MAPI_E_UNABLE_TO_ABORT = 0x80040114. */
    public static final int MAPI_E_UNABLE_TO_ABORT = 0x80040114;
    /** MAPI_E_NETWORK_ERROR = 0x80040115. */
    public static final int MAPI_E_NETWORK_ERROR = 0x80040115;
    /** MAPI_E_DISK_ERROR = 0x80040116. */
    public static final int MAPI_E_DISK_ERROR = 0x80040116;
    /** MAPI_E_TOO_COMPLEX = 0x80040117. */
    public static final int MAPI_E_TOO_COMPLEX = 0x80040117;
    /** MAPI_E_BAD_COLUMN = 0x80040118. */
    public static final int MAPI_E_BAD_COLUMN = 0x80040118;
    /** MAPI_E_EXTENDED_ERROR = 0x80040119. */
    public static final int MAPI_E_EXTENDED_ERROR = 0x80040119;
    /** MAPI_E_COMPUTED = 0x8004011A. */
    public static final int MAPI_E_COMPUTED = 0x8004011A;
    /** MAPI_E_CORRUPT_DATA = 0x8004011B. */
    public static final int MAPI_E_CORRUPT_DATA = 0x8004011B;
    /** MAPI_E_UNCONFIGURED = 0x8004011C. */
    public static final int MAPI_E_UNCONFIGURED = 0x8004011C;
    /** MAPI_E_FAILONEPROVIDER = 0x8004011D. */
    public static final int MAPI_E_FAILONEPROVIDER = 0x8004011D;
    /** MAPI_E_UNKNOWN_CPID = 0x8004011E. */
    public static final int MAPI_E_UNKNOWN_CPID = 0x8004011E;
    /** MAPI_E_UNKNOWN_LCID = 0x8004011F. */
    public static final int MAPI_E_UNKNOWN_LCID = 0x8004011F;
    /** MAPI_E_RECONNECTED = 0x80040125. */
    public static final int MAPI_E_RECONNECTED = 0x80040125;
    /** MAPI_E_OFFLINE = 0x80040126. */
    public static final int MAPI_E_OFFLINE = 0x80040126;
    /** MAPI_E_END_OF_SESSION = 0x80040200. */
    public static final int MAPI_E_END_OF_SESSION = 0x80040200;
    /** MAPI_E_UNKNOWN_ENTRYID = 0x80040201. */
    public static final int MAPI_E_UNKNOWN_ENTRYID = 0x80040201;
    /** MAPI_E_MISSING_REQUIRED_COLUMN = 0x80040202. */
    public static final int MAPI_E_MISSING_REQUIRED_COLUMN = 0x80040202;
    /** MAPI_W_NO_SERVICE = 0x00040203. */
    public static final int MAPI_W_NO_SERVICE = 0x00040203;
    /** MAPI_E_BAD_VALUE = 0x80040301. */
    public static final int MAPI_E_BAD_VALUE = 0x80040301;
    /** MAPI_E_INVALID_TYPE = 0x80040302. */
    public static final int MAPI_E_INVALID_TYPE = 0x80040302;
    /** MAPI_E_TYPE_NO_SUPPORT = 0x80040303. */
    public static final int MAPI_E_TYPE_NO_SUPPORT = 0x80040303;
    /** MAPI_E_UNEXPECTED_TYPE = 0x80040304. */
    public static final int MAPI_E_UNEXPECTED_TYPE = 0x80040304;
    /** MAPI_E_TOO_BIG = 0x80040305. */
    public static final int MAPI_E_TOO_BIG = 0x80040305;
    /** MAPI_E_DECLINE_COPY = 0x80040306. */
    public static final int MAPI_E_DECLINE_COPY = 0x80040306;
    /** MAPI_E_UNEXPECTED_ID = 0x80040307. */
    public static final int MAPI_E_UNEXPECTED_ID = 0x80040307;
    /** MAPI_W_ERRORS_RETURNED = 0x00040380. */
    public static final int MAPI_W_ERRORS_RETURNED = 0x00040380;
    /** MAPI_E_UNABLE_TO_COMPLETE = 0x80040400. */
    public static final int MAPI_E_UNABLE_TO_COMPLETE = 0x80040400;
    /** MAPI_E_TIMEOUT = 0x80040401. */
    public static final int MAPI_E_TIMEOUT = 0x80040401;
    /** MAPI_E_TABLE_EMPTY = 0x80040402. */
    public static final int MAPI_E_TABLE_EMPTY = 0x80040402;
    /** MAPI_E_TABLE_TOO_BIG = 0x80040403. */
    public static final int MAPI_E_TABLE_TOO_BIG = 0x80040403;
    /** MAPI_E_INVALID_BOOKMARK = 0x80040405. */
    public static final int MAPI_E_INVALID_BOOKMARK = 0x80040405;
    /** MAPI_W_POSITION_CHANGED = 0x00040481. */
    public static final int MAPI_W_POSITION_CHANGED = 0x00040481;
    /** MAPI_W_APPROX_COUNT = 0x00040482. */
    public static final int MAPI_W_APPROX_COUNT = 0x00040482;
    /** MAPI_E_WAIT = 0x80040500. */
    public static final int MAPI_E_WAIT = 0x80040500;
    /** MAPI_E_CANCEL = 0x80040501. */
    public static final int MAPI_E_CANCEL = 0x80040501;
    /** MAPI_E_NOT_ME = 0x80040502. */
    public static final int MAPI_E_NOT_ME = 0x80040502;
    /** MAPI_W_CANCEL_MESSAGE = 0x00040580. */
    public static final int MAPI_W_CANCEL_MESSAGE = 0x00040580;
    /** MAPI_E_CORRUPT_STORE = 0x80040600. */
    public static final int MAPI_E_CORRUPT_STORE = 0x80040600;
    /** MAPI_E_NOT_IN_QUEUE = 0x80040601. */
    public static final int MAPI_E_NOT_IN_QUEUE = 0x80040601;
    /** MAPI_E_NO_SUPPRESS = 0x80040602. */
    public static final int MAPI_E_NO_SUPPRESS = 0x80040602;
    /** MAPI_E_COLLISION = 0x80040604. */
    public static final int MAPI_E_COLLISION = 0x80040604;
    /** MAPI_E_NOT_INITIALIZED = 0x80040605. */
    public static final int MAPI_E_NOT_INITIALIZED = 0x80040605;
    /** MAPI_E_NON_STANDARD = 0x80040606. */
    public static final int MAPI_E_NON_STANDARD = 0x80040606;
    /** MAPI_E_NO_RECIPIENTS = 0x80040607. */
    public static final int MAPI_E_NO_RECIPIENTS = 0x80040607;
    /** MAPI_E_SUBMITTED = 0x80040608. */
    public static final int MAPI_E_SUBMITTED = 0x80040608;
    /** MAPI_E_HAS_FOLDERS = 0x80040609. */
    public static final int MAPI_E_HAS_FOLDERS = 0x80040609;
    /** MAPI_E_HAS_MESSAGES = 0x8004060A. */
    public static final int MAPI_E_HAS_MESSAGES = 0x8004060A;
    /** MAPI_E_FOLDER_CYCLE = 0x8004060B. */
    public static final int MAPI_E_FOLDER_CYCLE = 0x8004060B;
    /** MAPI_W_PARTIAL_COMPLETION = 0x00040680. */
    public static final int MAPI_W_PARTIAL_COMPLETION = 0x00040680;
    /** MAPI_E_AMBIGUOUS_RECIP = 0x80040700. */
    public static final int MAPI_E_AMBIGUOUS_RECIP = 0x80040700;

    /** Aliases that share a value with a MAPI_E_ code. */
    public static final int E_FAIL = MAPI_E_CALL_FAILED, E_OUTOFMEMORY = MAPI_E_NOT_ENOUGH_MEMORY,
            E_INVALIDARG = MAPI_E_INVALID_PARAMETER, E_NOINTERFACE = MAPI_E_INTERFACE_NOT_SUPPORTED,
            E_ACCESSDENIED = MAPI_E_NO_ACCESS;

    /** Code to name, for {@link #name(int)}; filled once by the static initializer, read-only afterwards. */
    private static final Map<Integer, String> NAMES = new HashMap<>();
    static {
        NAMES.put(S_OK, "S_OK");
        NAMES.put(MAPI_E_CALL_FAILED, "MAPI_E_CALL_FAILED");
        NAMES.put(MAPI_E_NOT_ENOUGH_MEMORY, "MAPI_E_NOT_ENOUGH_MEMORY");
        NAMES.put(MAPI_E_INVALID_PARAMETER, "MAPI_E_INVALID_PARAMETER");
        NAMES.put(MAPI_E_INTERFACE_NOT_SUPPORTED, "MAPI_E_INTERFACE_NOT_SUPPORTED");
        NAMES.put(MAPI_E_NO_ACCESS, "MAPI_E_NO_ACCESS");
        NAMES.put(MAPI_E_NO_SUPPORT, "MAPI_E_NO_SUPPORT");
        NAMES.put(MAPI_E_BAD_CHARWIDTH, "MAPI_E_BAD_CHARWIDTH");
        NAMES.put(MAPI_E_STRING_TOO_LONG, "MAPI_E_STRING_TOO_LONG");
        NAMES.put(MAPI_E_UNKNOWN_FLAGS, "MAPI_E_UNKNOWN_FLAGS");
        NAMES.put(MAPI_E_INVALID_ENTRYID, "MAPI_E_INVALID_ENTRYID");
        NAMES.put(MAPI_E_INVALID_OBJECT, "MAPI_E_INVALID_OBJECT");
        NAMES.put(MAPI_E_OBJECT_CHANGED, "MAPI_E_OBJECT_CHANGED");
        NAMES.put(MAPI_E_OBJECT_DELETED, "MAPI_E_OBJECT_DELETED");
        NAMES.put(MAPI_E_BUSY, "MAPI_E_BUSY");
        NAMES.put(MAPI_E_NOT_ENOUGH_DISK, "MAPI_E_NOT_ENOUGH_DISK");
        NAMES.put(MAPI_E_NOT_ENOUGH_RESOURCES, "MAPI_E_NOT_ENOUGH_RESOURCES");
        NAMES.put(MAPI_E_NOT_FOUND, "MAPI_E_NOT_FOUND");
        NAMES.put(MAPI_E_VERSION, "MAPI_E_VERSION");
        NAMES.put(MAPI_E_LOGON_FAILED, "MAPI_E_LOGON_FAILED");
        NAMES.put(MAPI_E_SESSION_LIMIT, "MAPI_E_SESSION_LIMIT");
        NAMES.put(MAPI_E_USER_CANCEL, "MAPI_E_USER_CANCEL");
        NAMES.put(MAPI_E_UNABLE_TO_ABORT, "MAPI_E_UNABLE_TO_ABORT");
        NAMES.put(MAPI_E_NETWORK_ERROR, "MAPI_E_NETWORK_ERROR");
        NAMES.put(MAPI_E_DISK_ERROR, "MAPI_E_DISK_ERROR");
        NAMES.put(MAPI_E_TOO_COMPLEX, "MAPI_E_TOO_COMPLEX");
        NAMES.put(MAPI_E_BAD_COLUMN, "MAPI_E_BAD_COLUMN");
        NAMES.put(MAPI_E_EXTENDED_ERROR, "MAPI_E_EXTENDED_ERROR");
        NAMES.put(MAPI_E_COMPUTED, "MAPI_E_COMPUTED");
        NAMES.put(MAPI_E_CORRUPT_DATA, "MAPI_E_CORRUPT_DATA");
        NAMES.put(MAPI_E_UNCONFIGURED, "MAPI_E_UNCONFIGURED");
        NAMES.put(MAPI_E_FAILONEPROVIDER, "MAPI_E_FAILONEPROVIDER");
        NAMES.put(MAPI_E_UNKNOWN_CPID, "MAPI_E_UNKNOWN_CPID");
        NAMES.put(MAPI_E_UNKNOWN_LCID, "MAPI_E_UNKNOWN_LCID");
        NAMES.put(MAPI_E_RECONNECTED, "MAPI_E_RECONNECTED");
        NAMES.put(MAPI_E_OFFLINE, "MAPI_E_OFFLINE");
        NAMES.put(MAPI_E_END_OF_SESSION, "MAPI_E_END_OF_SESSION");
        NAMES.put(MAPI_E_UNKNOWN_ENTRYID, "MAPI_E_UNKNOWN_ENTRYID");
        NAMES.put(MAPI_E_MISSING_REQUIRED_COLUMN, "MAPI_E_MISSING_REQUIRED_COLUMN");
        NAMES.put(MAPI_W_NO_SERVICE, "MAPI_W_NO_SERVICE");
        NAMES.put(MAPI_E_BAD_VALUE, "MAPI_E_BAD_VALUE");
        NAMES.put(MAPI_E_INVALID_TYPE, "MAPI_E_INVALID_TYPE");
        NAMES.put(MAPI_E_TYPE_NO_SUPPORT, "MAPI_E_TYPE_NO_SUPPORT");
        NAMES.put(MAPI_E_UNEXPECTED_TYPE, "MAPI_E_UNEXPECTED_TYPE");
        NAMES.put(MAPI_E_TOO_BIG, "MAPI_E_TOO_BIG");
        NAMES.put(MAPI_E_DECLINE_COPY, "MAPI_E_DECLINE_COPY");
        NAMES.put(MAPI_E_UNEXPECTED_ID, "MAPI_E_UNEXPECTED_ID");
        NAMES.put(MAPI_W_ERRORS_RETURNED, "MAPI_W_ERRORS_RETURNED");
        NAMES.put(MAPI_E_UNABLE_TO_COMPLETE, "MAPI_E_UNABLE_TO_COMPLETE");
        NAMES.put(MAPI_E_TIMEOUT, "MAPI_E_TIMEOUT");
        NAMES.put(MAPI_E_TABLE_EMPTY, "MAPI_E_TABLE_EMPTY");
        NAMES.put(MAPI_E_TABLE_TOO_BIG, "MAPI_E_TABLE_TOO_BIG");
        NAMES.put(MAPI_E_INVALID_BOOKMARK, "MAPI_E_INVALID_BOOKMARK");
        NAMES.put(MAPI_W_POSITION_CHANGED, "MAPI_W_POSITION_CHANGED");
        NAMES.put(MAPI_W_APPROX_COUNT, "MAPI_W_APPROX_COUNT");
        NAMES.put(MAPI_E_WAIT, "MAPI_E_WAIT");
        NAMES.put(MAPI_E_CANCEL, "MAPI_E_CANCEL");
        NAMES.put(MAPI_E_NOT_ME, "MAPI_E_NOT_ME");
        NAMES.put(MAPI_W_CANCEL_MESSAGE, "MAPI_W_CANCEL_MESSAGE");
        NAMES.put(MAPI_E_CORRUPT_STORE, "MAPI_E_CORRUPT_STORE");
        NAMES.put(MAPI_E_NOT_IN_QUEUE, "MAPI_E_NOT_IN_QUEUE");
        NAMES.put(MAPI_E_NO_SUPPRESS, "MAPI_E_NO_SUPPRESS");
        NAMES.put(MAPI_E_COLLISION, "MAPI_E_COLLISION");
        NAMES.put(MAPI_E_NOT_INITIALIZED, "MAPI_E_NOT_INITIALIZED");
        NAMES.put(MAPI_E_NON_STANDARD, "MAPI_E_NON_STANDARD");
        NAMES.put(MAPI_E_NO_RECIPIENTS, "MAPI_E_NO_RECIPIENTS");
        NAMES.put(MAPI_E_SUBMITTED, "MAPI_E_SUBMITTED");
        NAMES.put(MAPI_E_HAS_FOLDERS, "MAPI_E_HAS_FOLDERS");
        NAMES.put(MAPI_E_HAS_MESSAGES, "MAPI_E_HAS_MESSAGES");
        NAMES.put(MAPI_E_FOLDER_CYCLE, "MAPI_E_FOLDER_CYCLE");
        NAMES.put(MAPI_W_PARTIAL_COMPLETION, "MAPI_W_PARTIAL_COMPLETION");
        NAMES.put(MAPI_E_AMBIGUOUS_RECIP, "MAPI_E_AMBIGUOUS_RECIP");
    }

    /**
     * True for S_OK and every warning: the severity bit (bit 31) is clear (HR_SUCCEEDED).
     *
     * @param hr any HRESULT
     * @return whether {@code hr} reports success
     */
    public static boolean succeeded(int hr) {
        return hr >= 0;
    }

    /**
     * True iff the severity bit is set (HR_FAILED). Warnings are not failures (spec C-12).
     *
     * @param hr any HRESULT
     * @return whether {@code hr} reports failure
     */
    public static boolean failed(int hr) {
        return hr < 0;
    }

    /**
     * The MAPI name of a code, e.g. {@code "MAPI_E_INVALID_OBJECT"}, or its hex form when the code is not a MAPI one.
     *
     * @param hr any HRESULT
     * @return a name fit for logs and traces
     */
    public static String name(int hr) {
        String n = NAMES.get(hr);
        return n != null ? n : hex(hr);
    }

    /**
     * The code as {@code 0x%08X}, the form traces and messages use.
     *
     * @param value any 32-bit value
     * @return eight upper-case hex digits behind {@code 0x}
     */
    public static String hex(int value) {
        return String.format("0x%08X", value);
    }
}
