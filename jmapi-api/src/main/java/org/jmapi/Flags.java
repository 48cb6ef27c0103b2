package org.jmapi;

/**
 * Every MAPI flag word and enumerated value of spec &sect;1.2, with MAPI's names and exact values (MAPIDefS.h,
 * MAPISPI.h, MAPIX.h).
 *
 * <p>Flag words are {@code int} bit sets throughout jmapi; compare them with {@code &amp;}, and compare unsigned
 * where bit 31 matters. Several names share a value on purpose (MAPI reuses bits per method), so a flag is only
 * meaningful together with the method it is passed to. Constants only; thread-safe.
 */
public final class Flags {
    /** Not instantiable. */
    private Flags() {}

    // IMsgStore::StoreLogoff / IMAPISupport::StoreLogoffTransports input flags (exactly one, R-SL-1).
    /** IMsgStore::StoreLogoff / IMAPISupport::StoreLogoffTransports input flags: LOGOFF_NO_WAIT = 0x1. */
    public static final int LOGOFF_NO_WAIT = 0x1;
    /** IMsgStore::StoreLogoff / IMAPISupport::StoreLogoffTransports input flags: LOGOFF_ORDERLY = 0x2. */
    public static final int LOGOFF_ORDERLY = 0x2;
    /** IMsgStore::StoreLogoff / IMAPISupport::StoreLogoffTransports input flags: LOGOFF_PURGE = 0x4. */
    public static final int LOGOFF_PURGE = 0x4;
    /** IMsgStore::StoreLogoff / IMAPISupport::StoreLogoffTransports input flags: LOGOFF_ABORT = 0x8. */
    public static final int LOGOFF_ABORT = 0x8;
    /** IMsgStore::StoreLogoff / IMAPISupport::StoreLogoffTransports input flags: LOGOFF_QUIET = 0x10. */
    public static final int LOGOFF_QUIET = 0x10;

    // StoreLogoff / StoreLogoffTransports output flags (R-SL-5, R-SLT-4).
    /** StoreLogoff / StoreLogoffTransports output flags: LOGOFF_COMPLETE = 0x10000. */
    public static final int LOGOFF_COMPLETE = 0x10000;
    /** StoreLogoff / StoreLogoffTransports output flags: LOGOFF_INBOUND = 0x20000. */
    public static final int LOGOFF_INBOUND = 0x20000;
    /** StoreLogoff / StoreLogoffTransports output flags: LOGOFF_OUTBOUND = 0x40000. */
    public static final int LOGOFF_OUTBOUND = 0x40000;
    /** StoreLogoff / StoreLogoffTransports output flags: LOGOFF_OUTBOUND_QUEUE = 0x80000. */
    public static final int LOGOFF_OUTBOUND_QUEUE = 0x80000;

    // IXPLogon::TransportLogoff flags (header only; R-LOFF-3, C-24).
    /** IXPLogon::TransportLogoff flags: LOGOFF_NORMAL = 0x1. */
    public static final int LOGOFF_NORMAL = 0x1;
    /** IXPLogon::TransportLogoff flags: LOGOFF_HURRY = 0x80000000. */
    public static final int LOGOFF_HURRY = 0x80000000;

    // IMAPISession::Logoff flags (R-SESOFF-1).
    /** IMAPISession::Logoff flags: MAPI_LOGOFF_SHARED = 0x1. */
    public static final int MAPI_LOGOFF_SHARED = 0x1;
    /** IMAPISession::Logoff flags: MAPI_LOGOFF_UI = 0x2. */
    public static final int MAPI_LOGOFF_UI = 0x2;

    // MAPILogonEx flags (R-SES-1..3).
    /** MAPILogonEx flags: MAPI_LOGON_UI = 0x1. */
    public static final int MAPI_LOGON_UI = 0x1;
    /** MAPILogonEx flags: MAPI_NEW_SESSION = 0x2. */
    public static final int MAPI_NEW_SESSION = 0x2;
    /** MAPILogonEx flags: MAPI_ALLOW_OTHERS = 0x8. */
    public static final int MAPI_ALLOW_OTHERS = 0x8;
    /** MAPILogonEx flags: MAPI_EXPLICIT_PROFILE = 0x10. */
    public static final int MAPI_EXPLICIT_PROFILE = 0x10;
    /** MAPILogonEx flags: MAPI_EXTENDED = 0x20. */
    public static final int MAPI_EXTENDED = 0x20;
    /** MAPILogonEx flags: MAPI_USE_DEFAULT = 0x40. */
    public static final int MAPI_USE_DEFAULT = 0x40;
    /** MAPILogonEx flags: MAPI_FORCE_DOWNLOAD = 0x1000. */
    public static final int MAPI_FORCE_DOWNLOAD = 0x1000;
    /** MAPILogonEx flags: MAPI_SERVICE_UI_ALWAYS = 0x2000. */
    public static final int MAPI_SERVICE_UI_ALWAYS = 0x2000;
    /** MAPILogonEx flags: MAPI_NO_MAIL = 0x8000. */
    public static final int MAPI_NO_MAIL = 0x8000;
    /** MAPILogonEx flags: MAPI_NT_SERVICE = 0x10000. */
    public static final int MAPI_NT_SERVICE = 0x10000;
    /** MAPILogonEx flags: MAPI_TIMEOUT_SHORT = 0x100000. */
    public static final int MAPI_TIMEOUT_SHORT = 0x100000;
    /** MAPILogonEx flags: MAPI_UNICODE = 0x80000000. */
    public static final int MAPI_UNICODE = 0x80000000;

    // MAPIINIT_0 (R-INIT-3).
    /** MAPIINIT_0: MAPI_INIT_VERSION = 0. */
    public static final int MAPI_INIT_VERSION = 0;
    /** MAPIINIT_0: MAPI_MULTITHREAD_NOTIFICATIONS = 0x1. */
    public static final int MAPI_MULTITHREAD_NOTIFICATIONS = 0x1;

    // Store logon flags (OpenMsgStore, IMSProvider::Logon).
    /** Store logon flags: MDB_NO_DIALOG = 0x1. */
    public static final int MDB_NO_DIALOG = 0x1;
    /** Store logon flags: MDB_WRITE = 0x4. */
    public static final int MDB_WRITE = 0x4;
    /** Store logon flags: MAPI_DEFERRED_ERRORS = 0x8. */
    public static final int MAPI_DEFERRED_ERRORS = 0x8;
    /** Store logon flags: MDB_TEMPORARY = 0x20. */
    public static final int MDB_TEMPORARY = 0x20;
    /** Store logon flags: MDB_NO_MAIL = 0x80. */
    public static final int MDB_NO_MAIL = 0x80;

    // IXPProvider::TransportLogon input flags.
    /** IXPProvider::TransportLogon input flags: LOGON_NO_DIALOG = 0x1. */
    public static final int LOGON_NO_DIALOG = 0x1;
    /** IXPProvider::TransportLogon input flags: LOGON_NO_CONNECT = 0x4. */
    public static final int LOGON_NO_CONNECT = 0x4;
    /** IXPProvider::TransportLogon input flags: LOGON_NO_INBOUND = 0x8. */
    public static final int LOGON_NO_INBOUND = 0x8;
    /** IXPProvider::TransportLogon input flags: LOGON_NO_OUTBOUND = 0x10. */
    public static final int LOGON_NO_OUTBOUND = 0x10;

    // IXPProvider::TransportLogon output flags (R-XP-2).
    /** IXPProvider::TransportLogon output flags: LOGON_SP_IDLE = 0x10000. */
    public static final int LOGON_SP_IDLE = 0x10000;
    /** IXPProvider::TransportLogon output flags: LOGON_SP_POLL = 0x20000. */
    public static final int LOGON_SP_POLL = 0x20000;
    /** IXPProvider::TransportLogon output flags: LOGON_SP_RESOLVE = 0x40000. */
    public static final int LOGON_SP_RESOLVE = 0x40000;

    // IABProvider::Logon flags.
    /** IABProvider::Logon flags: AB_NO_DIALOG = 0x1. */
    public static final int AB_NO_DIALOG = 0x1;

    // IMAPISupport::SpoolerNotify flags (R-TN-2).
    /** IMAPISupport::SpoolerNotify flags: NOTIFY_NEWMAIL = 0x1. */
    public static final int NOTIFY_NEWMAIL = 0x1;
    /** IMAPISupport::SpoolerNotify flags: NOTIFY_READYTOSEND = 0x2. */
    public static final int NOTIFY_READYTOSEND = 0x2;
    /** IMAPISupport::SpoolerNotify flags: NOTIFY_SENTDEFERRED = 0x4. */
    public static final int NOTIFY_SENTDEFERRED = 0x4;
    /** IMAPISupport::SpoolerNotify flags: NOTIFY_CRITSEC = 0x1000. */
    public static final int NOTIFY_CRITSEC = 0x1000;
    /** IMAPISupport::SpoolerNotify flags: NOTIFY_NONCRIT = 0x2000. */
    public static final int NOTIFY_NONCRIT = 0x2000;
    /** IMAPISupport::SpoolerNotify flags: NOTIFY_CONFIG_CHANGE = 0x4000. */
    public static final int NOTIFY_CONFIG_CHANGE = 0x4000;
    /** IMAPISupport::SpoolerNotify flags: NOTIFY_CRITICAL_ERROR = 0x10000000. */
    public static final int NOTIFY_CRITICAL_ERROR = 0x10000000;
    /** IMAPISupport::SpoolerNotify flags: NOTIFY_NEWMAIL_RECEIVED = 0x20000000. */
    public static final int NOTIFY_NEWMAIL_RECEIVED = 0x20000000;

    // IXPLogon::TransportNotify flags (R-TN-1).
    /** IXPLogon::TransportNotify flags: NOTIFY_BEGIN_INBOUND = 0x1. */
    public static final int NOTIFY_BEGIN_INBOUND = 0x1;
    /** IXPLogon::TransportNotify flags: NOTIFY_BEGIN_OUTBOUND = 0x2. */
    public static final int NOTIFY_BEGIN_OUTBOUND = 0x2;
    /** IXPLogon::TransportNotify flags: NOTIFY_BEGIN_INBOUND_FLUSH = 0x4. */
    public static final int NOTIFY_BEGIN_INBOUND_FLUSH = 0x4;
    /** IXPLogon::TransportNotify flags: NOTIFY_BEGIN_OUTBOUND_FLUSH = 0x8. */
    public static final int NOTIFY_BEGIN_OUTBOUND_FLUSH = 0x8;
    /** IXPLogon::TransportNotify flags: NOTIFY_END_INBOUND = 0x10000. */
    public static final int NOTIFY_END_INBOUND = 0x10000;
    /** IXPLogon::TransportNotify flags: NOTIFY_END_OUTBOUND = 0x20000. */
    public static final int NOTIFY_END_OUTBOUND = 0x20000;
    /** IXPLogon::TransportNotify flags: NOTIFY_END_INBOUND_FLUSH = 0x40000. */
    public static final int NOTIFY_END_INBOUND_FLUSH = 0x40000;
    /** IXPLogon::TransportNotify flags: NOTIFY_END_OUTBOUND_FLUSH = 0x80000. */
    public static final int NOTIFY_END_OUTBOUND_FLUSH = 0x80000;
    /** IXPLogon::TransportNotify flags: NOTIFY_ABORT_DEFERRED = 0x40000000. */
    public static final int NOTIFY_ABORT_DEFERRED = 0x40000000;
    /** IXPLogon::TransportNotify flags: NOTIFY_CANCEL_MESSAGE = 0x80000000. */
    public static final int NOTIFY_CANCEL_MESSAGE = 0x80000000;

    // IXPLogon::SubmitMessage / EndMessage; IMsgStore::SetLockState.
    /** IXPLogon::SubmitMessage / EndMessage; IMsgStore::SetLockState: BEGIN_DEFERRED = 0x1. */
    public static final int BEGIN_DEFERRED = 0x1;
    /** IXPLogon::SubmitMessage / EndMessage; IMsgStore::SetLockState: END_RESEND_NOW = 0x10000. */
    public static final int END_RESEND_NOW = 0x10000;
    /** IXPLogon::SubmitMessage / EndMessage; IMsgStore::SetLockState: END_RESEND_LATER = 0x20000. */
    public static final int END_RESEND_LATER = 0x20000;
    /** IXPLogon::SubmitMessage / EndMessage; IMsgStore::SetLockState: END_DONT_RESEND = 0x40000. */
    public static final int END_DONT_RESEND = 0x40000;
    /** IXPLogon::SubmitMessage / EndMessage; IMsgStore::SetLockState: MSG_UNLOCKED = 0. */
    public static final int MSG_UNLOCKED = 0;
    /** IXPLogon::SubmitMessage / EndMessage; IMsgStore::SetLockState: MSG_LOCKED = 1. */
    public static final int MSG_LOCKED = 1;

    // Subscribe / Notify / callbacks / ModifyStatusRow.
    /** Subscribe / Notify / callbacks / ModifyStatusRow: NOTIFY_SYNC = 0x40000000. */
    public static final int NOTIFY_SYNC = 0x40000000;
    /** Subscribe / Notify / callbacks / ModifyStatusRow: NOTIFY_CANCELED = 0x80000000. */
    public static final int NOTIFY_CANCELED = 0x80000000;
    /** Subscribe / Notify / callbacks / ModifyStatusRow: CALLBACK_DISCONTINUE = 0x80000000. */
    public static final int CALLBACK_DISCONTINUE = 0x80000000;
    /** Subscribe / Notify / callbacks / ModifyStatusRow: STATUSROW_UPDATE = 0x10000000. */
    public static final int STATUSROW_UPDATE = 0x10000000;

    // IMAPIStatus::FlushQueues flags (R-FLUSH-1).
    /** IMAPIStatus::FlushQueues flags: FLUSH_UPLOAD = 0x2. */
    public static final int FLUSH_UPLOAD = 0x2;
    /** IMAPIStatus::FlushQueues flags: FLUSH_DOWNLOAD = 0x4. */
    public static final int FLUSH_DOWNLOAD = 0x4;
    /** IMAPIStatus::FlushQueues flags: FLUSH_FORCE = 0x8. */
    public static final int FLUSH_FORCE = 0x8;
    /** IMAPIStatus::FlushQueues flags: FLUSH_NO_UI = 0x10. */
    public static final int FLUSH_NO_UI = 0x10;
    /** IMAPIStatus::FlushQueues flags: FLUSH_ASYNC_OK = 0x20. */
    public static final int FLUSH_ASYNC_OK = 0x20;

    // IMAPIStatus::ValidateState flags (R-VS-1).
    /** IMAPIStatus::ValidateState flags: SUPPRESS_UI = 0x1. */
    public static final int SUPPRESS_UI = 0x1;
    /** IMAPIStatus::ValidateState flags: REFRESH_XP_HEADER_CACHE = 0x10000. */
    public static final int REFRESH_XP_HEADER_CACHE = 0x10000;
    /** IMAPIStatus::ValidateState flags: PROCESS_XP_HEADER_CACHE = 0x20000. */
    public static final int PROCESS_XP_HEADER_CACHE = 0x20000;
    /** IMAPIStatus::ValidateState flags: FORCE_XP_CONNECT = 0x40000. */
    public static final int FORCE_XP_CONNECT = 0x40000;
    /** IMAPIStatus::ValidateState flags: FORCE_XP_DISCONNECT = 0x80000. */
    public static final int FORCE_XP_DISCONNECT = 0x80000;
    /** IMAPIStatus::ValidateState flags: CONFIG_CHANGED = 0x100000. */
    public static final int CONFIG_CHANGED = 0x100000;
    /** IMAPIStatus::ValidateState flags: ABORT_XP_HEADER_OPERATION = 0x200000. */
    public static final int ABORT_XP_HEADER_OPERATION = 0x200000;
    /** IMAPIStatus::ValidateState flags: SHOW_XP_SESSION_UI = 0x400000. */
    public static final int SHOW_XP_SESSION_UI = 0x400000;

    // PR_STATUS_CODE bits (R-ST-8).
    /** PR_STATUS_CODE bits: STATUS_AVAILABLE = 0x1. */
    public static final int STATUS_AVAILABLE = 0x1;
    /** PR_STATUS_CODE bits: STATUS_OFFLINE = 0x2. */
    public static final int STATUS_OFFLINE = 0x2;
    /** PR_STATUS_CODE bits: STATUS_FAILURE = 0x4. */
    public static final int STATUS_FAILURE = 0x4;
    /** PR_STATUS_CODE bits: STATUS_INBOUND_ENABLED = 0x10000. */
    public static final int STATUS_INBOUND_ENABLED = 0x10000;
    /** PR_STATUS_CODE bits: STATUS_INBOUND_ACTIVE = 0x20000. */
    public static final int STATUS_INBOUND_ACTIVE = 0x20000;
    /** PR_STATUS_CODE bits: STATUS_INBOUND_FLUSH = 0x40000. */
    public static final int STATUS_INBOUND_FLUSH = 0x40000;
    /** PR_STATUS_CODE bits: STATUS_OUTBOUND_ENABLED = 0x100000. */
    public static final int STATUS_OUTBOUND_ENABLED = 0x100000;
    /** PR_STATUS_CODE bits: STATUS_OUTBOUND_ACTIVE = 0x200000. */
    public static final int STATUS_OUTBOUND_ACTIVE = 0x200000;
    /** PR_STATUS_CODE bits: STATUS_OUTBOUND_FLUSH = 0x400000. */
    public static final int STATUS_OUTBOUND_FLUSH = 0x400000;
    /** PR_STATUS_CODE bits: STATUS_REMOTE_ACCESS = 0x800000. */
    public static final int STATUS_REMOTE_ACCESS = 0x800000;

    // PR_RESOURCE_METHODS bits (R-ST-7).
    /** PR_RESOURCE_METHODS bits: STATUS_VALIDATE_STATE = 0x1. */
    public static final int STATUS_VALIDATE_STATE = 0x1;
    /** PR_RESOURCE_METHODS bits: STATUS_SETTINGS_DIALOG = 0x2. */
    public static final int STATUS_SETTINGS_DIALOG = 0x2;
    /** PR_RESOURCE_METHODS bits: STATUS_CHANGE_PASSWORD = 0x4. */
    public static final int STATUS_CHANGE_PASSWORD = 0x4;
    /** PR_RESOURCE_METHODS bits: STATUS_FLUSH_QUEUES = 0x8. */
    public static final int STATUS_FLUSH_QUEUES = 0x8;

    // PR_RESOURCE_TYPE values.
    /** PR_RESOURCE_TYPE values: MAPI_STORE_PROVIDER = 33. */
    public static final int MAPI_STORE_PROVIDER = 33;
    /** PR_RESOURCE_TYPE values: MAPI_AB = 34. */
    public static final int MAPI_AB = 34;
    /** PR_RESOURCE_TYPE values: MAPI_AB_PROVIDER = 35. */
    public static final int MAPI_AB_PROVIDER = 35;
    /** PR_RESOURCE_TYPE values: MAPI_TRANSPORT_PROVIDER = 36. */
    public static final int MAPI_TRANSPORT_PROVIDER = 36;
    /** PR_RESOURCE_TYPE values: MAPI_SPOOLER = 37. */
    public static final int MAPI_SPOOLER = 37;
    /** PR_RESOURCE_TYPE values: MAPI_PROFILE_PROVIDER = 38. */
    public static final int MAPI_PROFILE_PROVIDER = 38;
    /** PR_RESOURCE_TYPE values: MAPI_SUBSYSTEM = 39. */
    public static final int MAPI_SUBSYSTEM = 39;
    /** PR_RESOURCE_TYPE values: MAPI_HOOK_PROVIDER = 40. */
    public static final int MAPI_HOOK_PROVIDER = 40;

    // PR_RESOURCE_FLAGS, provider context (R-PROF-5).
    /** PR_RESOURCE_FLAGS, provider context: STATUS_DEFAULT_OUTBOUND = 0x1. */
    public static final int STATUS_DEFAULT_OUTBOUND = 0x1;
    /** PR_RESOURCE_FLAGS, provider context: STATUS_DEFAULT_STORE = 0x2. */
    public static final int STATUS_DEFAULT_STORE = 0x2;
    /** PR_RESOURCE_FLAGS, provider context: STATUS_PRIMARY_IDENTITY = 0x4. */
    public static final int STATUS_PRIMARY_IDENTITY = 0x4;
    /** PR_RESOURCE_FLAGS, provider context: STATUS_SIMPLE_STORE = 0x8. */
    public static final int STATUS_SIMPLE_STORE = 0x8;
    /** PR_RESOURCE_FLAGS, provider context: STATUS_XP_PREFER_LAST = 0x10. */
    public static final int STATUS_XP_PREFER_LAST = 0x10;
    /** PR_RESOURCE_FLAGS, provider context: STATUS_NO_PRIMARY_IDENTITY = 0x20. */
    public static final int STATUS_NO_PRIMARY_IDENTITY = 0x20;
    /** PR_RESOURCE_FLAGS, provider context: STATUS_NO_DEFAULT_STORE = 0x40. */
    public static final int STATUS_NO_DEFAULT_STORE = 0x40;
    /** PR_RESOURCE_FLAGS, provider context: STATUS_TEMP_SECTION = 0x80. */
    public static final int STATUS_TEMP_SECTION = 0x80;
    /** PR_RESOURCE_FLAGS, provider context: STATUS_OWN_STORE = 0x100. */
    public static final int STATUS_OWN_STORE = 0x100;
    /** PR_RESOURCE_FLAGS, provider context: STATUS_NEED_IPM_TREE = 0x800. */
    public static final int STATUS_NEED_IPM_TREE = 0x800;
    /** PR_RESOURCE_FLAGS, provider context: STATUS_PRIMARY_STORE = 0x1000. */
    public static final int STATUS_PRIMARY_STORE = 0x1000;
    /** PR_RESOURCE_FLAGS, provider context: STATUS_SECONDARY_STORE = 0x2000. */
    public static final int STATUS_SECONDARY_STORE = 0x2000;

    // PR_RESOURCE_FLAGS, service context (R-PROF-7).
    /** PR_RESOURCE_FLAGS, service context: SERVICE_DEFAULT_STORE = 0x1. */
    public static final int SERVICE_DEFAULT_STORE = 0x1;
    /** PR_RESOURCE_FLAGS, service context: SERVICE_SINGLE_COPY = 0x2. */
    public static final int SERVICE_SINGLE_COPY = 0x2;
    /** PR_RESOURCE_FLAGS, service context: SERVICE_CREATE_WITH_STORE = 0x4. */
    public static final int SERVICE_CREATE_WITH_STORE = 0x4;
    /** PR_RESOURCE_FLAGS, service context: SERVICE_PRIMARY_IDENTITY = 0x8. */
    public static final int SERVICE_PRIMARY_IDENTITY = 0x8;
    /** PR_RESOURCE_FLAGS, service context: SERVICE_NO_PRIMARY_IDENTITY = 0x20. */
    public static final int SERVICE_NO_PRIMARY_IDENTITY = 0x20;

    // PR_OBJECT_TYPE values.
    /** PR_OBJECT_TYPE values: MAPI_STORE = 1. */
    public static final int MAPI_STORE = 1;
    /** PR_OBJECT_TYPE values: MAPI_ADDRBOOK = 2. */
    public static final int MAPI_ADDRBOOK = 2;
    /** PR_OBJECT_TYPE values: MAPI_FOLDER = 3. */
    public static final int MAPI_FOLDER = 3;
    /** PR_OBJECT_TYPE values: MAPI_ABCONT = 4. */
    public static final int MAPI_ABCONT = 4;
    /** PR_OBJECT_TYPE values: MAPI_MESSAGE = 5. */
    public static final int MAPI_MESSAGE = 5;
    /** PR_OBJECT_TYPE values: MAPI_MAILUSER = 6. */
    public static final int MAPI_MAILUSER = 6;
    /** PR_OBJECT_TYPE values: MAPI_ATTACH = 7. */
    public static final int MAPI_ATTACH = 7;
    /** PR_OBJECT_TYPE values: MAPI_DISTLIST = 8. */
    public static final int MAPI_DISTLIST = 8;
    /** PR_OBJECT_TYPE values: MAPI_PROFSECT = 9. */
    public static final int MAPI_PROFSECT = 9;
    /** PR_OBJECT_TYPE values: MAPI_STATUS = 10. */
    public static final int MAPI_STATUS = 10;
    /** PR_OBJECT_TYPE values: MAPI_SESSION = 11. */
    public static final int MAPI_SESSION = 11;

    // Notification event types (R-NTF-5).
    /** Notification event types: fnevCriticalError = 0x1. */
    public static final int fnevCriticalError = 0x1;
    /** Notification event types: fnevNewMail = 0x2. */
    public static final int fnevNewMail = 0x2;
    /** Notification event types: fnevObjectCreated = 0x4. */
    public static final int fnevObjectCreated = 0x4;
    /** Notification event types: fnevObjectDeleted = 0x8. */
    public static final int fnevObjectDeleted = 0x8;
    /** Notification event types: fnevObjectModified = 0x10. */
    public static final int fnevObjectModified = 0x10;
    /** Notification event types: fnevObjectMoved = 0x20. */
    public static final int fnevObjectMoved = 0x20;
    /** Notification event types: fnevObjectCopied = 0x40. */
    public static final int fnevObjectCopied = 0x40;
    /** Notification event types: fnevSearchComplete = 0x80. */
    public static final int fnevSearchComplete = 0x80;
    /** Notification event types: fnevTableModified = 0x100. */
    public static final int fnevTableModified = 0x100;
    /** Notification event types: fnevStatusObjectModified = 0x200. */
    public static final int fnevStatusObjectModified = 0x200;
    /** Notification event types: fnevExtended = 0x80000000. */
    public static final int fnevExtended = 0x80000000;

    // TABLE_NOTIFICATION event codes (R-TBL-9).
    /** TABLE_NOTIFICATION event codes: TABLE_CHANGED = 1. */
    public static final int TABLE_CHANGED = 1;
    /** TABLE_NOTIFICATION event codes: TABLE_ERROR = 2. */
    public static final int TABLE_ERROR = 2;
    /** TABLE_NOTIFICATION event codes: TABLE_ROW_ADDED = 3. */
    public static final int TABLE_ROW_ADDED = 3;
    /** TABLE_NOTIFICATION event codes: TABLE_ROW_DELETED = 4. */
    public static final int TABLE_ROW_DELETED = 4;
    /** TABLE_NOTIFICATION event codes: TABLE_ROW_MODIFIED = 5. */
    public static final int TABLE_ROW_MODIFIED = 5;
    /** TABLE_NOTIFICATION event codes: TABLE_SORT_DONE = 6. */
    public static final int TABLE_SORT_DONE = 6;
    /** TABLE_NOTIFICATION event codes: TABLE_RESTRICT_DONE = 7. */
    public static final int TABLE_RESTRICT_DONE = 7;
    /** TABLE_NOTIFICATION event codes: TABLE_SETCOL_DONE = 8. */
    public static final int TABLE_SETCOL_DONE = 8;
    /** TABLE_NOTIFICATION event codes: TABLE_RELOAD = 9. */
    public static final int TABLE_RELOAD = 9;

    // ENTRYID abFlags[0] bits (R-UID-6).
    /** ENTRYID abFlags[0] bits: MAPI_SHORTTERM = 0x80. */
    public static final int MAPI_SHORTTERM = 0x80;
    /** ENTRYID abFlags[0] bits: MAPI_NOTRECIP = 0x40. */
    public static final int MAPI_NOTRECIP = 0x40;
    /** ENTRYID abFlags[0] bits: MAPI_THISSESSION = 0x20. */
    public static final int MAPI_THISSESSION = 0x20;
    /** ENTRYID abFlags[0] bits: MAPI_NOW = 0x10. */
    public static final int MAPI_NOW = 0x10;
    /** ENTRYID abFlags[0] bits: MAPI_NOTRESERVED = 0x08. */
    public static final int MAPI_NOTRESERVED = 0x08;

    // PR_MESSAGE_FLAGS bits.
    /** PR_MESSAGE_FLAGS bits: MSGFLAG_READ = 0x1. */
    public static final int MSGFLAG_READ = 0x1;
    /** PR_MESSAGE_FLAGS bits: MSGFLAG_UNMODIFIED = 0x2. */
    public static final int MSGFLAG_UNMODIFIED = 0x2;
    /** PR_MESSAGE_FLAGS bits: MSGFLAG_SUBMIT = 0x4. */
    public static final int MSGFLAG_SUBMIT = 0x4;
    /** PR_MESSAGE_FLAGS bits: MSGFLAG_UNSENT = 0x8. */
    public static final int MSGFLAG_UNSENT = 0x8;
    /** PR_MESSAGE_FLAGS bits: MSGFLAG_HASATTACH = 0x10. */
    public static final int MSGFLAG_HASATTACH = 0x10;
    /** PR_MESSAGE_FLAGS bits: MSGFLAG_FROMME = 0x20. */
    public static final int MSGFLAG_FROMME = 0x20;
    /** PR_MESSAGE_FLAGS bits: MSGFLAG_ASSOCIATED = 0x40. */
    public static final int MSGFLAG_ASSOCIATED = 0x40;
    /** PR_MESSAGE_FLAGS bits: MSGFLAG_RESEND = 0x80. */
    public static final int MSGFLAG_RESEND = 0x80;

    // PR_SUBMIT_FLAGS bits.
    /** PR_SUBMIT_FLAGS bits: SUBMITFLAG_LOCKED = 0x1. */
    public static final int SUBMITFLAG_LOCKED = 0x1;
    /** PR_SUBMIT_FLAGS bits: SUBMITFLAG_PREPROCESS = 0x2. */
    public static final int SUBMITFLAG_PREPROCESS = 0x2;

    // PR_RECIPIENT_TYPE values and bits.
    /** PR_RECIPIENT_TYPE values and bits: MAPI_ORIG = 0. */
    public static final int MAPI_ORIG = 0;
    /** PR_RECIPIENT_TYPE values and bits: MAPI_TO = 1. */
    public static final int MAPI_TO = 1;
    /** PR_RECIPIENT_TYPE values and bits: MAPI_CC = 2. */
    public static final int MAPI_CC = 2;
    /** PR_RECIPIENT_TYPE values and bits: MAPI_BCC = 3. */
    public static final int MAPI_BCC = 3;
    /** PR_RECIPIENT_TYPE values and bits: MAPI_P1 = 0x10000000. */
    public static final int MAPI_P1 = 0x10000000;
    /** PR_RECIPIENT_TYPE values and bits: MAPI_SUBMITTED = 0x80000000. */
    public static final int MAPI_SUBMITTED = 0x80000000;

    // Open / save flags.
    /** Open / save flags: MAPI_MODIFY = 0x1. */
    public static final int MAPI_MODIFY = 0x1;
    /** Open / save flags: MAPI_CREATE = 0x2. */
    public static final int MAPI_CREATE = 0x2;
    /** Open / save flags: MAPI_BEST_ACCESS = 0x10. */
    public static final int MAPI_BEST_ACCESS = 0x10;
    /** Open / save flags: KEEP_OPEN_READONLY = 0x1. */
    public static final int KEEP_OPEN_READONLY = 0x1;
    /** Open / save flags: KEEP_OPEN_READWRITE = 0x2. */
    public static final int KEEP_OPEN_READWRITE = 0x2;
    /** Open / save flags: FORCE_SAVE = 0x4. */
    public static final int FORCE_SAVE = 0x4;
    /** IMAPIContainer::GetContentsTable / IMAPIFolder::CreateMessage: MAPI_ASSOCIATED = 0x40. */
    public static final int MAPI_ASSOCIATED = 0x40;

    // IMAPIProp::CopyTo / CopyProps flags (R-PROP-7).
    /** IMAPIProp::CopyTo / CopyProps flags: MAPI_MOVE = 0x1, move instead of copy. */
    public static final int MAPI_MOVE = 0x1;
    /** IMAPIProp::CopyTo / CopyProps flags: MAPI_NOREPLACE = 0x2, keep properties the destination has. */
    public static final int MAPI_NOREPLACE = 0x2;
    /** IMAPIProp::CopyTo / CopyProps / CopyMessages / CopyFolder flags: MAPI_DECLINE_OK = 0x4 (set by MAPI). */
    public static final int MAPI_DECLINE_OK = 0x4;
    /** IMAPIProp::CopyTo / CopyProps flags: MAPI_DIALOG = 0x8, show progress (no UI here: accepted, ignored). */
    public static final int MAPI_DIALOG = 0x8;

    // IMAPIFolder::CopyMessages / CopyFolder flags.
    /** IMAPIFolder::CopyMessages flags: MESSAGE_MOVE = 0x1. */
    public static final int MESSAGE_MOVE = 0x1;
    /** IMAPIFolder::CopyMessages / DeleteMessages flags: MESSAGE_DIALOG = 0x2 (no UI here: accepted, ignored). */
    public static final int MESSAGE_DIALOG = 0x2;
    /** IMAPIFolder::CopyFolder flags: FOLDER_MOVE = 0x1. */
    public static final int FOLDER_MOVE = 0x1;
    /** IMAPIFolder::CopyFolder / DeleteFolder flags: FOLDER_DIALOG = 0x2 (no UI here: accepted, ignored). */
    public static final int FOLDER_DIALOG = 0x2;
    /** IMAPIFolder::CopyFolder flags: COPY_SUBFOLDERS = 0x10. */
    public static final int COPY_SUBFOLDERS = 0x10;

    // IStream (OpenProperty with MapiStream, R-PROP-6): STGM_* access modes, seek origins, commit flags.
    /** STGM_READ = 0x0: read access (the interface options of OpenProperty). */
    public static final int STGM_READ = 0x0;
    /** STGM_WRITE = 0x1: write access; needs MAPI_MODIFY in OpenProperty's flags. */
    public static final int STGM_WRITE = 0x1;
    /** STGM_READWRITE = 0x2: read and write access; needs MAPI_MODIFY in OpenProperty's flags. */
    public static final int STGM_READWRITE = 0x2;
    /** STGM_SHARE_DENY_NONE = 0x40 (sharing modes are accepted and not enforced). */
    public static final int STGM_SHARE_DENY_NONE = 0x40;
    /** STGM_SHARE_DENY_READ = 0x30 (accepted, not enforced). */
    public static final int STGM_SHARE_DENY_READ = 0x30;
    /** STGM_SHARE_DENY_WRITE = 0x20 (accepted, not enforced). */
    public static final int STGM_SHARE_DENY_WRITE = 0x20;
    /** STGM_SHARE_EXCLUSIVE = 0x10 (accepted, not enforced). */
    public static final int STGM_SHARE_EXCLUSIVE = 0x10;
    /** STGM_CREATE = 0x1000: start from an empty value (the same as MAPI_CREATE in the flags). */
    public static final int STGM_CREATE = 0x1000;
    /** STGM_TRANSACTED = 0x10000: changes reach the property at Commit (jmapi's property streams always are). */
    public static final int STGM_TRANSACTED = 0x10000;
    /** STGM_DIRECT = 0x0. */
    public static final int STGM_DIRECT = 0x0;
    /** STREAM_SEEK_SET = 0: IStream::Seek from the beginning. */
    public static final int STREAM_SEEK_SET = 0;
    /** STREAM_SEEK_CUR = 1: IStream::Seek from the current position. */
    public static final int STREAM_SEEK_CUR = 1;
    /** STREAM_SEEK_END = 2: IStream::Seek from the end. */
    public static final int STREAM_SEEK_END = 2;
    /** STGC_DEFAULT = 0: IStream::Commit. */
    public static final int STGC_DEFAULT = 0;
    /** STGC_OVERWRITE = 0x1 (accepted, meaningless for property streams). */
    public static final int STGC_OVERWRITE = 0x1;
    /** STGC_ONLYIFCURRENT = 0x2 (accepted; property streams have one writer's view). */
    public static final int STGC_ONLYIFCURRENT = 0x2;
    /** STGC_DANGEROUSLYCOMMITMERELYTODISKCACHE = 0x4 (accepted, ignored). */
    public static final int STGC_DANGEROUSLYCOMMITMERELYTODISKCACHE = 0x4;

    // PR_ATTACH_METHOD values.
    /** PR_ATTACH_METHOD: NO_ATTACHMENT = 0. */
    public static final int NO_ATTACHMENT = 0;
    /** PR_ATTACH_METHOD: ATTACH_BY_VALUE = 1 (PR_ATTACH_DATA_BIN). */
    public static final int ATTACH_BY_VALUE = 1;
    /** PR_ATTACH_METHOD: ATTACH_EMBEDDED_MSG = 5 (PR_ATTACH_DATA_OBJ opened as a Message). */
    public static final int ATTACH_EMBEDDED_MSG = 5;

    // IMessage::ModifyRecipients flags (R-FM-3).
    /** IMessage::ModifyRecipients flags: MODRECIP_ADD = 0x2. */
    public static final int MODRECIP_ADD = 0x2;
    /** IMessage::ModifyRecipients flags: MODRECIP_MODIFY = 0x4. */
    public static final int MODRECIP_MODIFY = 0x4;
    /** IMessage::ModifyRecipients flags: MODRECIP_REMOVE = 0x8. */
    public static final int MODRECIP_REMOVE = 0x8;

    // Table flags and predefined bookmarks (R-TBL-*).
    /** Table flags and predefined bookmarks: TBL_ASYNC = 0x1. */
    public static final int TBL_ASYNC = 0x1;
    /** Table flags and predefined bookmarks: TBL_BATCH = 0x2. */
    public static final int TBL_BATCH = 0x2;
    /** Table flags and predefined bookmarks: TBL_NOADVANCE = 0x1. */
    public static final int TBL_NOADVANCE = 0x1;
    /** Table flags and predefined bookmarks: DIR_BACKWARD = 0x1. */
    public static final int DIR_BACKWARD = 0x1;
    /** Table flags and predefined bookmarks: BOOKMARK_BEGINNING = 0. */
    public static final int BOOKMARK_BEGINNING = 0;
    /** Table flags and predefined bookmarks: BOOKMARK_CURRENT = 1. */
    public static final int BOOKMARK_CURRENT = 1;
    /** Table flags and predefined bookmarks: BOOKMARK_END = 2. */
    public static final int BOOKMARK_END = 2;

    // IMAPISupport::ExpandRecips output.
    /** IMAPISupport::ExpandRecips output: NEEDS_PREPROCESSING = 0x1. */
    public static final int NEEDS_PREPROCESSING = 0x1;
    /** IMAPISupport::ExpandRecips output: NEEDS_SPOOLER = 0x2. */
    public static final int NEEDS_SPOOLER = 0x2;

    // Non-delivery reports: PR_NDR_REASON_CODE and PR_NDR_DIAG_CODE values (mapidefs.h, X.400 order).
    /** PR_NDR_REASON_CODE: MAPI_REASON_TRANSFER_FAILED = 0 (a temporary failure that did not clear in time). */
    public static final int MAPI_REASON_TRANSFER_FAILED = 0;
    /** PR_NDR_REASON_CODE: MAPI_REASON_TRANSFER_IMPOSSIBLE = 1 (a permanent failure). */
    public static final int MAPI_REASON_TRANSFER_IMPOSSIBLE = 1;
    /** PR_NDR_DIAG_CODE: MAPI_DIAG_NO_DIAGNOSTIC = -1. */
    public static final int MAPI_DIAG_NO_DIAGNOSTIC = -1;
    /** PR_NDR_DIAG_CODE: MAPI_DIAG_OR_NAME_UNRECOGNIZED = 0 (no such recipient). */
    public static final int MAPI_DIAG_OR_NAME_UNRECOGNIZED = 0;
    /** PR_NDR_DIAG_CODE: MAPI_DIAG_OR_NAME_AMBIGUOUS = 1. */
    public static final int MAPI_DIAG_OR_NAME_AMBIGUOUS = 1;
    /** PR_NDR_DIAG_CODE: MAPI_DIAG_MTS_CONGESTED = 2. */
    public static final int MAPI_DIAG_MTS_CONGESTED = 2;
    /** PR_NDR_DIAG_CODE: MAPI_DIAG_LOOP_DETECTED = 3. */
    public static final int MAPI_DIAG_LOOP_DETECTED = 3;
    /** PR_NDR_DIAG_CODE: MAPI_DIAG_RECIPIENT_UNAVAILABLE = 4. */
    public static final int MAPI_DIAG_RECIPIENT_UNAVAILABLE = 4;
    /** PR_NDR_DIAG_CODE: MAPI_DIAG_MAXIMUM_TIME_EXPIRED = 5. */
    public static final int MAPI_DIAG_MAXIMUM_TIME_EXPIRED = 5;

    // Message-service entry point contexts (R-PROF-6).
    /** Message-service entry point contexts: MSG_SERVICE_INSTALL = 1. */
    public static final int MSG_SERVICE_INSTALL = 1;
    /** Message-service entry point contexts: MSG_SERVICE_CREATE = 2. */
    public static final int MSG_SERVICE_CREATE = 2;
    /** Message-service entry point contexts: MSG_SERVICE_CONFIGURE = 3. */
    public static final int MSG_SERVICE_CONFIGURE = 3;
    /** Message-service entry point contexts: MSG_SERVICE_DELETE = 4. */
    public static final int MSG_SERVICE_DELETE = 4;
    /** Message-service entry point contexts: MSG_SERVICE_UNINSTALL = 5. */
    public static final int MSG_SERVICE_UNINSTALL = 5;
    /** Message-service entry point contexts: MSG_SERVICE_PROVIDER_CREATE = 6. */
    public static final int MSG_SERVICE_PROVIDER_CREATE = 6;
    /** Message-service entry point contexts: MSG_SERVICE_PROVIDER_DELETE = 7. */
    public static final int MSG_SERVICE_PROVIDER_DELETE = 7;

    // Message-service entry point UI flags.
    /** Message-service entry point UI flags: SERVICE_UI_ALWAYS = 0x2. */
    public static final int SERVICE_UI_ALWAYS = 0x2;
    /** Message-service entry point UI flags: SERVICE_UI_ALLOWED = 0x10. */
    public static final int SERVICE_UI_ALLOWED = 0x10;

    // SPI version (R-LOAD-2): major 1, minor 0, update 0x10.
    /** SPI version: CURRENT_SPI_VERSION = 0x00010010. */
    public static final int CURRENT_SPI_VERSION = 0x00010010;

    /** The input bits StoreLogoff and StoreLogoffTransports accept (R-SL-1). */
    public static final int LOGOFF_INPUT_MASK =
            LOGOFF_NO_WAIT | LOGOFF_ORDERLY | LOGOFF_PURGE | LOGOFF_ABORT | LOGOFF_QUIET;

    /** The activity bits of a StoreLogoffTransports answer (R-SLT-4). */
    public static final int LOGOFF_ACTIVITY_MASK = LOGOFF_INBOUND | LOGOFF_OUTBOUND | LOGOFF_OUTBOUND_QUEUE;

    /**
     * Checks a StoreLogoff / StoreLogoffTransports input flag word (R-SL-1, R-SLT-1, spec C-26).
     *
     * @param flags the caller's flags
     * @throws MapiException MAPI_E_UNKNOWN_FLAGS for any bit outside {@link #LOGOFF_INPUT_MASK};
     *                       MAPI_E_INVALID_PARAMETER for zero or more than one LOGOFF_* bit
     */
    public static void checkLogoffInput(int flags) {
        if ((flags & ~LOGOFF_INPUT_MASK) != 0) {
            throw new MapiException(HResult.MAPI_E_UNKNOWN_FLAGS,
                    "unknown LOGOFF flag bits " + HResult.hex(flags & ~LOGOFF_INPUT_MASK));
        }
        if (Integer.bitCount(flags) != 1) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "exactly one of LOGOFF_NO_WAIT, LOGOFF_ORDERLY, LOGOFF_PURGE, LOGOFF_ABORT, LOGOFF_QUIET is required, got "
                            + HResult.hex(flags));
        }
    }

    /**
     * Fails with MAPI_E_UNKNOWN_FLAGS when {@code flags} has a bit outside {@code allowed}.
     *
     * @param flags   the caller's flags
     * @param allowed the bits the method documents
     * @param method  the MAPI method name, for the message
     */
    public static void checkKnown(int flags, int allowed, String method) {
        if ((flags & ~allowed) != 0) {
            throw new MapiException(HResult.MAPI_E_UNKNOWN_FLAGS,
                    method + ": unknown flag bits " + HResult.hex(flags & ~allowed));
        }
    }
}
