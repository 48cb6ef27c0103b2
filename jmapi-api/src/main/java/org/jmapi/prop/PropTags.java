package org.jmapi.prop;

import java.util.HashMap;
import java.util.Map;

/**
 * Well-known property tags with MAPI's names and values (MAPITags.h; spec &sect;1.3). String tags use PT_UNICODE
 * unless the name ends in {@code _A} (PT_STRING8). {@link #name(int)} maps a tag back to its name, for traces and
 * the CLI. Constants only; thread-safe.
 */
public final class PropTags {
    /** Not instantiable. */
    private PropTags() {}

    /** PR_ENTRYID = 0x0FFF0102. */
    public static final int PR_ENTRYID = 0x0FFF0102;
    /** PR_OBJECT_TYPE = 0x0FFE0003. */
    public static final int PR_OBJECT_TYPE = 0x0FFE0003;
    /** PR_INSTANCE_KEY = 0x0FF60102. */
    public static final int PR_INSTANCE_KEY = 0x0FF60102;
    /** PR_RECORD_KEY = 0x0FF90102. */
    public static final int PR_RECORD_KEY = 0x0FF90102;
    /** PR_STORE_ENTRYID = 0x0FFB0102. */
    public static final int PR_STORE_ENTRYID = 0x0FFB0102;
    /** PR_STORE_RECORD_KEY = 0x0FFA0102. */
    public static final int PR_STORE_RECORD_KEY = 0x0FFA0102;
    /** PR_PARENT_ENTRYID = 0x0E090102. */
    public static final int PR_PARENT_ENTRYID = 0x0E090102;
    /** PR_MAPPING_SIGNATURE = 0x0FF80102. */
    public static final int PR_MAPPING_SIGNATURE = 0x0FF80102;
    /** PR_ROWID = 0x30000003. */
    public static final int PR_ROWID = 0x30000003;
    /** PR_DISPLAY_NAME = 0x3001001F. */
    public static final int PR_DISPLAY_NAME = 0x3001001F;
    /** PR_DISPLAY_NAME_A = 0x3001001E. */
    public static final int PR_DISPLAY_NAME_A = 0x3001001E;
    /** PR_ADDRTYPE = 0x3002001F. */
    public static final int PR_ADDRTYPE = 0x3002001F;
    /** PR_EMAIL_ADDRESS = 0x3003001F. */
    public static final int PR_EMAIL_ADDRESS = 0x3003001F;
    /** PR_COMMENT = 0x3004001F. */
    public static final int PR_COMMENT = 0x3004001F;
    /** PR_DEPTH = 0x30050003. */
    public static final int PR_DEPTH = 0x30050003;
    /** PR_PROVIDER_DISPLAY = 0x3006001F. */
    public static final int PR_PROVIDER_DISPLAY = 0x3006001F;
    /** PR_PROVIDER_DISPLAY_A = 0x3006001E. */
    public static final int PR_PROVIDER_DISPLAY_A = 0x3006001E;
    /** PR_CREATION_TIME = 0x30070040. */
    public static final int PR_CREATION_TIME = 0x30070040;
    /** PR_LAST_MODIFICATION_TIME = 0x30080040. */
    public static final int PR_LAST_MODIFICATION_TIME = 0x30080040;
    /** PR_RESOURCE_FLAGS = 0x30090003. */
    public static final int PR_RESOURCE_FLAGS = 0x30090003;
    /** PR_PROVIDER_DLL_NAME = 0x300A001F. */
    public static final int PR_PROVIDER_DLL_NAME = 0x300A001F;
    /** PR_PROVIDER_DLL_NAME_A = 0x300A001E. */
    public static final int PR_PROVIDER_DLL_NAME_A = 0x300A001E;
    /** PR_SEARCH_KEY = 0x300B0102. */
    public static final int PR_SEARCH_KEY = 0x300B0102;
    /** PR_PROVIDER_UID = 0x300C0102. */
    public static final int PR_PROVIDER_UID = 0x300C0102;
    /** PR_PROVIDER_ORDINAL = 0x300D0003. */
    public static final int PR_PROVIDER_ORDINAL = 0x300D0003;
    /** PR_SERVICE_NAME = 0x3D09001F. */
    public static final int PR_SERVICE_NAME = 0x3D09001F;
    /** PR_SERVICE_DLL_NAME = 0x3D0A001F. */
    public static final int PR_SERVICE_DLL_NAME = 0x3D0A001F;
    /** PR_SERVICE_UID = 0x3D0C0102. */
    public static final int PR_SERVICE_UID = 0x3D0C0102;
    /** PR_SERVICES = 0x3D0E0102. */
    public static final int PR_SERVICES = 0x3D0E0102;
    /** PR_SERVICE_SUPPORT_FILES = 0x3D0F101F. */
    public static final int PR_SERVICE_SUPPORT_FILES = 0x3D0F101F;
    /** PR_SERVICE_DELETE_FILES = 0x3D10101F. */
    public static final int PR_SERVICE_DELETE_FILES = 0x3D10101F;
    /** PR_PROFILE_NAME = 0x3D12001F. */
    public static final int PR_PROFILE_NAME = 0x3D12001F;
    /** PR_SERVICE_ENTRY_NAME = 0x3D0B001F. */
    public static final int PR_SERVICE_ENTRY_NAME = 0x3D0B001F;
    /** PR_RESOURCE_METHODS = 0x3E020003. */
    public static final int PR_RESOURCE_METHODS = 0x3E020003;
    /** PR_RESOURCE_TYPE = 0x3E030003. */
    public static final int PR_RESOURCE_TYPE = 0x3E030003;
    /** PR_STATUS_CODE = 0x3E040003. */
    public static final int PR_STATUS_CODE = 0x3E040003;
    /** PR_IDENTITY_ENTRYID = 0x3E010102. */
    public static final int PR_IDENTITY_ENTRYID = 0x3E010102;
    /** PR_IDENTITY_DISPLAY = 0x3E00001F. */
    public static final int PR_IDENTITY_DISPLAY = 0x3E00001F;
    /** PR_IDENTITY_SEARCH_KEY = 0x3E050102. */
    public static final int PR_IDENTITY_SEARCH_KEY = 0x3E050102;
    /** PR_OWN_STORE_ENTRYID = 0x3E060102. */
    public static final int PR_OWN_STORE_ENTRYID = 0x3E060102;
    /** PR_RESOURCE_PATH = 0x3E07001F. */
    public static final int PR_RESOURCE_PATH = 0x3E07001F;
    /** PR_STATUS_STRING = 0x3E08001F. */
    public static final int PR_STATUS_STRING = 0x3E08001F;
    /** PR_REMOTE_PROGRESS = 0x3E0B0003. */
    public static final int PR_REMOTE_PROGRESS = 0x3E0B0003;
    /** PR_REMOTE_PROGRESS_TEXT = 0x3E0C001F. */
    public static final int PR_REMOTE_PROGRESS_TEXT = 0x3E0C001F;
    /** PR_REMOTE_VALIDATE_OK = 0x3E0D000B. */
    public static final int PR_REMOTE_VALIDATE_OK = 0x3E0D000B;
    /** PR_DEFAULT_STORE = 0x3400000B. */
    public static final int PR_DEFAULT_STORE = 0x3400000B;
    /** PR_STORE_SUPPORT_MASK = 0x340D0003. */
    public static final int PR_STORE_SUPPORT_MASK = 0x340D0003;
    /** PR_STORE_STATE = 0x340E0003. */
    public static final int PR_STORE_STATE = 0x340E0003;
    /** PR_MDB_PROVIDER = 0x34140102. */
    public static final int PR_MDB_PROVIDER = 0x34140102;
    /** PR_IPM_SUBTREE_ENTRYID = 0x35E00102. */
    public static final int PR_IPM_SUBTREE_ENTRYID = 0x35E00102;
    /** PR_IPM_OUTBOX_ENTRYID = 0x35E20102. */
    public static final int PR_IPM_OUTBOX_ENTRYID = 0x35E20102;
    /** PR_IPM_WASTEBASKET_ENTRYID = 0x35E30102. */
    public static final int PR_IPM_WASTEBASKET_ENTRYID = 0x35E30102;
    /** PR_IPM_SENTMAIL_ENTRYID = 0x35E40102. */
    public static final int PR_IPM_SENTMAIL_ENTRYID = 0x35E40102;
    /** PR_VIEWS_ENTRYID = 0x35E50102. */
    public static final int PR_VIEWS_ENTRYID = 0x35E50102;
    /** PR_COMMON_VIEWS_ENTRYID = 0x35E60102. */
    public static final int PR_COMMON_VIEWS_ENTRYID = 0x35E60102;
    /** PR_FINDER_ENTRYID = 0x35E70102. */
    public static final int PR_FINDER_ENTRYID = 0x35E70102;
    /** PR_IPM_DRAFTS_ENTRYID = 0x36D70102. */
    public static final int PR_IPM_DRAFTS_ENTRYID = 0x36D70102;
    /** PR_VALID_FOLDER_MASK = 0x35DF0003. */
    public static final int PR_VALID_FOLDER_MASK = 0x35DF0003;
    /** PR_MESSAGE_CLASS = 0x001A001F. */
    public static final int PR_MESSAGE_CLASS = 0x001A001F;
    /** PR_SUBJECT = 0x0037001F. */
    public static final int PR_SUBJECT = 0x0037001F;
    /** PR_SUBJECT_PREFIX = 0x003D001F. */
    public static final int PR_SUBJECT_PREFIX = 0x003D001F;
    /** PR_NORMALIZED_SUBJECT = 0x0E1D001F. */
    public static final int PR_NORMALIZED_SUBJECT = 0x0E1D001F;
    /** PR_CONVERSATION_TOPIC = 0x0070001F. */
    public static final int PR_CONVERSATION_TOPIC = 0x0070001F;
    /** PR_IMPORTANCE = 0x00170003. */
    public static final int PR_IMPORTANCE = 0x00170003;
    /** PR_PRIORITY = 0x00260003. */
    public static final int PR_PRIORITY = 0x00260003;
    /** PR_SENSITIVITY = 0x00360003. */
    public static final int PR_SENSITIVITY = 0x00360003;
    /** PR_CLIENT_SUBMIT_TIME = 0x00390040. */
    public static final int PR_CLIENT_SUBMIT_TIME = 0x00390040;
    /** PR_MESSAGE_DELIVERY_TIME = 0x0E060040. */
    public static final int PR_MESSAGE_DELIVERY_TIME = 0x0E060040;
    /** PR_MESSAGE_FLAGS = 0x0E070003. */
    public static final int PR_MESSAGE_FLAGS = 0x0E070003;
    /** PR_MESSAGE_SIZE = 0x0E080003. */
    public static final int PR_MESSAGE_SIZE = 0x0E080003;
    /** PR_SUBMIT_FLAGS = 0x0E140003. */
    public static final int PR_SUBMIT_FLAGS = 0x0E140003;
    /** PR_RESPONSIBILITY = 0x0E0F000B. */
    public static final int PR_RESPONSIBILITY = 0x0E0F000B;
    /** PR_RECIPIENT_TYPE = 0x0C150003. */
    public static final int PR_RECIPIENT_TYPE = 0x0C150003;
    /** PR_DELETE_AFTER_SUBMIT = 0x0E01000B. */
    public static final int PR_DELETE_AFTER_SUBMIT = 0x0E01000B;
    /** PR_SENTMAIL_ENTRYID = 0x0E0A0102. */
    public static final int PR_SENTMAIL_ENTRYID = 0x0E0A0102;
    /** PR_PREPROCESS = 0x0E22000B. */
    public static final int PR_PREPROCESS = 0x0E22000B;
    /** PR_MESSAGE_RECIPIENTS = 0x0E12000D. */
    public static final int PR_MESSAGE_RECIPIENTS = 0x0E12000D;
    /** PR_MESSAGE_ATTACHMENTS = 0x0E13000D. */
    public static final int PR_MESSAGE_ATTACHMENTS = 0x0E13000D;
    /** PR_HASATTACH = 0x0E1B000B. */
    public static final int PR_HASATTACH = 0x0E1B000B;
    /** PR_DISPLAY_TO = 0x0E04001F. */
    public static final int PR_DISPLAY_TO = 0x0E04001F;
    /** PR_DISPLAY_CC = 0x0E03001F. */
    public static final int PR_DISPLAY_CC = 0x0E03001F;
    /** PR_DISPLAY_BCC = 0x0E02001F. */
    public static final int PR_DISPLAY_BCC = 0x0E02001F;
    /** PR_SENDER_NAME = 0x0C1A001F. */
    public static final int PR_SENDER_NAME = 0x0C1A001F;
    /** PR_SENDER_EMAIL_ADDRESS = 0x0C1F001F. */
    public static final int PR_SENDER_EMAIL_ADDRESS = 0x0C1F001F;
    /** PR_SENDER_ADDRTYPE = 0x0C1E001F. */
    public static final int PR_SENDER_ADDRTYPE = 0x0C1E001F;
    /** PR_SENDER_ENTRYID = 0x0C190102. */
    public static final int PR_SENDER_ENTRYID = 0x0C190102;
    /** PR_SENT_REPRESENTING_NAME = 0x0042001F. */
    public static final int PR_SENT_REPRESENTING_NAME = 0x0042001F;
    /** PR_SENT_REPRESENTING_EMAIL_ADDRESS = 0x0065001F. */
    public static final int PR_SENT_REPRESENTING_EMAIL_ADDRESS = 0x0065001F;
    /** PR_BODY = 0x1000001F. */
    public static final int PR_BODY = 0x1000001F;
    /** PR_BODY_HTML = 0x1013001F. */
    public static final int PR_BODY_HTML = 0x1013001F;
    /** PR_HTML = 0x10130102. */
    public static final int PR_HTML = 0x10130102;
    /** PR_RTF_COMPRESSED = 0x10090102. */
    public static final int PR_RTF_COMPRESSED = 0x10090102;
    /** PR_INTERNET_MESSAGE_ID = 0x1035001F. */
    public static final int PR_INTERNET_MESSAGE_ID = 0x1035001F;
    /** PR_IN_REPLY_TO_ID = 0x1042001F. */
    public static final int PR_IN_REPLY_TO_ID = 0x1042001F;
    /** PR_INTERNET_REFERENCES = 0x1039001F. */
    public static final int PR_INTERNET_REFERENCES = 0x1039001F;
    /** PR_TRANSPORT_MESSAGE_HEADERS = 0x007D001F. */
    public static final int PR_TRANSPORT_MESSAGE_HEADERS = 0x007D001F;
    /** PR_NDR_REASON_CODE = PROP_TAG(PT_LONG, 0x0C04): why a recipient was not reached (MAPI_REASON_*). */
    public static final int PR_NDR_REASON_CODE = 0x0C040003;
    /** PR_NDR_DIAG_CODE = PROP_TAG(PT_LONG, 0x0C05): the diagnostic of a non-delivery (MAPI_DIAG_*). */
    public static final int PR_NDR_DIAG_CODE = 0x0C050003;
    /** PR_NDR_STATUS_CODE = PROP_TAG(PT_LONG, 0x0C20): the remote server's numeric status (an SMTP reply code). */
    public static final int PR_NDR_STATUS_CODE = 0x0C200003;
    /** PR_REPORT_TEXT = PROP_TAG(PT_UNICODE, 0x1001): the text of a report, per recipient or per report. */
    public static final int PR_REPORT_TEXT = 0x1001001F;
    /** PR_REPORT_TIME = PROP_TAG(PT_SYSTIME, 0x0032): when a report was generated. */
    public static final int PR_REPORT_TIME = 0x00320040;
    /** PR_DELIVER_TIME = PROP_TAG(PT_SYSTIME, 0x0010): when a recipient was reached (delivery reports). */
    public static final int PR_DELIVER_TIME = 0x00100040;
    /** PR_ORIGINAL_SUBJECT = PROP_TAG(PT_UNICODE, 0x0049): the subject of the message a report is about. */
    public static final int PR_ORIGINAL_SUBJECT = 0x0049001F;
    /** PR_ORIGINAL_SUBMIT_TIME = PROP_TAG(PT_SYSTIME, 0x004E): when the reported message was submitted. */
    public static final int PR_ORIGINAL_SUBMIT_TIME = 0x004E0040;
    /** PR_ORIGINAL_ENTRYID = PROP_TAG(PT_BINARY, 0x3A12): the entry id of the message a report is about. */
    public static final int PR_ORIGINAL_ENTRYID = 0x3A120102;
    /** PR_ATTACH_NUM = 0x0E210003. */
    public static final int PR_ATTACH_NUM = 0x0E210003;
    /** PR_ATTACH_DATA_OBJ = 0x3701000D. */
    public static final int PR_ATTACH_DATA_OBJ = 0x3701000D;
    /** PR_ATTACH_DATA_BIN = 0x37010102. */
    public static final int PR_ATTACH_DATA_BIN = 0x37010102;
    /** PR_ATTACH_METHOD = 0x37050003. */
    public static final int PR_ATTACH_METHOD = 0x37050003;
    /** PR_ATTACH_FILENAME = 0x3704001F. */
    public static final int PR_ATTACH_FILENAME = 0x3704001F;
    /** PR_ATTACH_LONG_FILENAME = 0x3707001F. */
    public static final int PR_ATTACH_LONG_FILENAME = 0x3707001F;
    /** PR_ATTACH_MIME_TAG = 0x370E001F. */
    public static final int PR_ATTACH_MIME_TAG = 0x370E001F;
    /** PR_ATTACH_CONTENT_ID = 0x3712001F. */
    public static final int PR_ATTACH_CONTENT_ID = 0x3712001F;
    /** PR_ATTACH_SIZE = 0x0E200003. */
    public static final int PR_ATTACH_SIZE = 0x0E200003;
    /** PR_RENDERING_POSITION = 0x370B0003. */
    public static final int PR_RENDERING_POSITION = 0x370B0003;
    /** PR_FOLDER_TYPE = 0x36010003. */
    public static final int PR_FOLDER_TYPE = 0x36010003;
    /** PR_CONTENT_COUNT = 0x36020003. */
    public static final int PR_CONTENT_COUNT = 0x36020003;
    /** PR_CONTENT_UNREAD = 0x36030003. */
    public static final int PR_CONTENT_UNREAD = 0x36030003;
    /** PR_SUBFOLDERS = 0x360A000B. */
    public static final int PR_SUBFOLDERS = 0x360A000B;
    /** PR_CONTAINER_CLASS = 0x3613001F. */
    public static final int PR_CONTAINER_CLASS = 0x3613001F;
    /** PR_CONTAINER_HIERARCHY = 0x360E000D. */
    public static final int PR_CONTAINER_HIERARCHY = 0x360E000D;
    /** PR_CONTAINER_CONTENTS = 0x360F000D. */
    public static final int PR_CONTAINER_CONTENTS = 0x360F000D;
    /** PR_FOLDER_ASSOCIATED_CONTENTS = 0x3610000D: a folder's associated (FAI) contents, as a table. */
    public static final int PR_FOLDER_ASSOCIATED_CONTENTS = 0x3610000D;
    /** PR_ACCESS = 0x0FF40003. */
    public static final int PR_ACCESS = 0x0FF40003;
    /** PR_ACCESS_LEVEL = 0x0FF70003. */
    public static final int PR_ACCESS_LEVEL = 0x0FF70003;
    /** PR_TRANSPORT_STATUS = 0x0E110003. */
    public static final int PR_TRANSPORT_STATUS = 0x0E110003;
    /** PR_AB_PROVIDER_ID = 0x36150102. */
    public static final int PR_AB_PROVIDER_ID = 0x36150102;
    /** PR_AB_PROVIDERS = 0x3D010102. */
    public static final int PR_AB_PROVIDERS = 0x3D010102;
    /** PR_STORE_PROVIDERS = 0x3D000102. */
    public static final int PR_STORE_PROVIDERS = 0x3D000102;
    /** PR_TRANSPORT_PROVIDERS = 0x3D020102. */
    public static final int PR_TRANSPORT_PROVIDERS = 0x3D020102;

    /** Tag to name, for {@link #name(int)}; filled once by the static initializer, read-only afterwards. */
    private static final Map<Integer, String> NAMES = new HashMap<>();
    static {
        NAMES.put(PR_ENTRYID, "PR_ENTRYID");
        NAMES.put(PR_OBJECT_TYPE, "PR_OBJECT_TYPE");
        NAMES.put(PR_INSTANCE_KEY, "PR_INSTANCE_KEY");
        NAMES.put(PR_RECORD_KEY, "PR_RECORD_KEY");
        NAMES.put(PR_STORE_ENTRYID, "PR_STORE_ENTRYID");
        NAMES.put(PR_STORE_RECORD_KEY, "PR_STORE_RECORD_KEY");
        NAMES.put(PR_PARENT_ENTRYID, "PR_PARENT_ENTRYID");
        NAMES.put(PR_MAPPING_SIGNATURE, "PR_MAPPING_SIGNATURE");
        NAMES.put(PR_ROWID, "PR_ROWID");
        NAMES.put(PR_DISPLAY_NAME, "PR_DISPLAY_NAME");
        NAMES.put(PR_DISPLAY_NAME_A, "PR_DISPLAY_NAME_A");
        NAMES.put(PR_ADDRTYPE, "PR_ADDRTYPE");
        NAMES.put(PR_EMAIL_ADDRESS, "PR_EMAIL_ADDRESS");
        NAMES.put(PR_COMMENT, "PR_COMMENT");
        NAMES.put(PR_DEPTH, "PR_DEPTH");
        NAMES.put(PR_PROVIDER_DISPLAY, "PR_PROVIDER_DISPLAY");
        NAMES.put(PR_PROVIDER_DISPLAY_A, "PR_PROVIDER_DISPLAY_A");
        NAMES.put(PR_CREATION_TIME, "PR_CREATION_TIME");
        NAMES.put(PR_LAST_MODIFICATION_TIME, "PR_LAST_MODIFICATION_TIME");
        NAMES.put(PR_RESOURCE_FLAGS, "PR_RESOURCE_FLAGS");
        NAMES.put(PR_PROVIDER_DLL_NAME, "PR_PROVIDER_DLL_NAME");
        NAMES.put(PR_PROVIDER_DLL_NAME_A, "PR_PROVIDER_DLL_NAME_A");
        NAMES.put(PR_SEARCH_KEY, "PR_SEARCH_KEY");
        NAMES.put(PR_PROVIDER_UID, "PR_PROVIDER_UID");
        NAMES.put(PR_PROVIDER_ORDINAL, "PR_PROVIDER_ORDINAL");
        NAMES.put(PR_SERVICE_NAME, "PR_SERVICE_NAME");
        NAMES.put(PR_SERVICE_DLL_NAME, "PR_SERVICE_DLL_NAME");
        NAMES.put(PR_SERVICE_UID, "PR_SERVICE_UID");
        NAMES.put(PR_SERVICES, "PR_SERVICES");
        NAMES.put(PR_SERVICE_SUPPORT_FILES, "PR_SERVICE_SUPPORT_FILES");
        NAMES.put(PR_SERVICE_DELETE_FILES, "PR_SERVICE_DELETE_FILES");
        NAMES.put(PR_PROFILE_NAME, "PR_PROFILE_NAME");
        NAMES.put(PR_SERVICE_ENTRY_NAME, "PR_SERVICE_ENTRY_NAME");
        NAMES.put(PR_RESOURCE_METHODS, "PR_RESOURCE_METHODS");
        NAMES.put(PR_RESOURCE_TYPE, "PR_RESOURCE_TYPE");
        NAMES.put(PR_STATUS_CODE, "PR_STATUS_CODE");
        NAMES.put(PR_IDENTITY_ENTRYID, "PR_IDENTITY_ENTRYID");
        NAMES.put(PR_IDENTITY_DISPLAY, "PR_IDENTITY_DISPLAY");
        NAMES.put(PR_IDENTITY_SEARCH_KEY, "PR_IDENTITY_SEARCH_KEY");
        NAMES.put(PR_OWN_STORE_ENTRYID, "PR_OWN_STORE_ENTRYID");
        NAMES.put(PR_RESOURCE_PATH, "PR_RESOURCE_PATH");
        NAMES.put(PR_STATUS_STRING, "PR_STATUS_STRING");
        NAMES.put(PR_REMOTE_PROGRESS, "PR_REMOTE_PROGRESS");
        NAMES.put(PR_REMOTE_PROGRESS_TEXT, "PR_REMOTE_PROGRESS_TEXT");
        NAMES.put(PR_REMOTE_VALIDATE_OK, "PR_REMOTE_VALIDATE_OK");
        NAMES.put(PR_DEFAULT_STORE, "PR_DEFAULT_STORE");
        NAMES.put(PR_STORE_SUPPORT_MASK, "PR_STORE_SUPPORT_MASK");
        NAMES.put(PR_STORE_STATE, "PR_STORE_STATE");
        NAMES.put(PR_MDB_PROVIDER, "PR_MDB_PROVIDER");
        NAMES.put(PR_IPM_SUBTREE_ENTRYID, "PR_IPM_SUBTREE_ENTRYID");
        NAMES.put(PR_IPM_OUTBOX_ENTRYID, "PR_IPM_OUTBOX_ENTRYID");
        NAMES.put(PR_IPM_WASTEBASKET_ENTRYID, "PR_IPM_WASTEBASKET_ENTRYID");
        NAMES.put(PR_IPM_SENTMAIL_ENTRYID, "PR_IPM_SENTMAIL_ENTRYID");
        NAMES.put(PR_VIEWS_ENTRYID, "PR_VIEWS_ENTRYID");
        NAMES.put(PR_COMMON_VIEWS_ENTRYID, "PR_COMMON_VIEWS_ENTRYID");
        NAMES.put(PR_FINDER_ENTRYID, "PR_FINDER_ENTRYID");
        NAMES.put(PR_IPM_DRAFTS_ENTRYID, "PR_IPM_DRAFTS_ENTRYID");
        NAMES.put(PR_VALID_FOLDER_MASK, "PR_VALID_FOLDER_MASK");
        NAMES.put(PR_MESSAGE_CLASS, "PR_MESSAGE_CLASS");
        NAMES.put(PR_SUBJECT, "PR_SUBJECT");
        NAMES.put(PR_SUBJECT_PREFIX, "PR_SUBJECT_PREFIX");
        NAMES.put(PR_NORMALIZED_SUBJECT, "PR_NORMALIZED_SUBJECT");
        NAMES.put(PR_CONVERSATION_TOPIC, "PR_CONVERSATION_TOPIC");
        NAMES.put(PR_IMPORTANCE, "PR_IMPORTANCE");
        NAMES.put(PR_PRIORITY, "PR_PRIORITY");
        NAMES.put(PR_SENSITIVITY, "PR_SENSITIVITY");
        NAMES.put(PR_CLIENT_SUBMIT_TIME, "PR_CLIENT_SUBMIT_TIME");
        NAMES.put(PR_MESSAGE_DELIVERY_TIME, "PR_MESSAGE_DELIVERY_TIME");
        NAMES.put(PR_MESSAGE_FLAGS, "PR_MESSAGE_FLAGS");
        NAMES.put(PR_MESSAGE_SIZE, "PR_MESSAGE_SIZE");
        NAMES.put(PR_SUBMIT_FLAGS, "PR_SUBMIT_FLAGS");
        NAMES.put(PR_RESPONSIBILITY, "PR_RESPONSIBILITY");
        NAMES.put(PR_RECIPIENT_TYPE, "PR_RECIPIENT_TYPE");
        NAMES.put(PR_DELETE_AFTER_SUBMIT, "PR_DELETE_AFTER_SUBMIT");
        NAMES.put(PR_SENTMAIL_ENTRYID, "PR_SENTMAIL_ENTRYID");
        NAMES.put(PR_PREPROCESS, "PR_PREPROCESS");
        NAMES.put(PR_MESSAGE_RECIPIENTS, "PR_MESSAGE_RECIPIENTS");
        NAMES.put(PR_MESSAGE_ATTACHMENTS, "PR_MESSAGE_ATTACHMENTS");
        NAMES.put(PR_HASATTACH, "PR_HASATTACH");
        NAMES.put(PR_DISPLAY_TO, "PR_DISPLAY_TO");
        NAMES.put(PR_DISPLAY_CC, "PR_DISPLAY_CC");
        NAMES.put(PR_DISPLAY_BCC, "PR_DISPLAY_BCC");
        NAMES.put(PR_SENDER_NAME, "PR_SENDER_NAME");
        NAMES.put(PR_SENDER_EMAIL_ADDRESS, "PR_SENDER_EMAIL_ADDRESS");
        NAMES.put(PR_SENDER_ADDRTYPE, "PR_SENDER_ADDRTYPE");
        NAMES.put(PR_SENDER_ENTRYID, "PR_SENDER_ENTRYID");
        NAMES.put(PR_SENT_REPRESENTING_NAME, "PR_SENT_REPRESENTING_NAME");
        NAMES.put(PR_SENT_REPRESENTING_EMAIL_ADDRESS, "PR_SENT_REPRESENTING_EMAIL_ADDRESS");
        NAMES.put(PR_BODY, "PR_BODY");
        NAMES.put(PR_BODY_HTML, "PR_BODY_HTML");
        NAMES.put(PR_HTML, "PR_HTML");
        NAMES.put(PR_RTF_COMPRESSED, "PR_RTF_COMPRESSED");
        NAMES.put(PR_INTERNET_MESSAGE_ID, "PR_INTERNET_MESSAGE_ID");
        NAMES.put(PR_IN_REPLY_TO_ID, "PR_IN_REPLY_TO_ID");
        NAMES.put(PR_INTERNET_REFERENCES, "PR_INTERNET_REFERENCES");
        NAMES.put(PR_TRANSPORT_MESSAGE_HEADERS, "PR_TRANSPORT_MESSAGE_HEADERS");
        NAMES.put(PR_NDR_REASON_CODE, "PR_NDR_REASON_CODE");
        NAMES.put(PR_NDR_DIAG_CODE, "PR_NDR_DIAG_CODE");
        NAMES.put(PR_NDR_STATUS_CODE, "PR_NDR_STATUS_CODE");
        NAMES.put(PR_REPORT_TEXT, "PR_REPORT_TEXT");
        NAMES.put(PR_REPORT_TIME, "PR_REPORT_TIME");
        NAMES.put(PR_DELIVER_TIME, "PR_DELIVER_TIME");
        NAMES.put(PR_ORIGINAL_SUBJECT, "PR_ORIGINAL_SUBJECT");
        NAMES.put(PR_ORIGINAL_SUBMIT_TIME, "PR_ORIGINAL_SUBMIT_TIME");
        NAMES.put(PR_ORIGINAL_ENTRYID, "PR_ORIGINAL_ENTRYID");
        NAMES.put(PR_ATTACH_NUM, "PR_ATTACH_NUM");
        NAMES.put(PR_ATTACH_DATA_OBJ, "PR_ATTACH_DATA_OBJ");
        NAMES.put(PR_ATTACH_DATA_BIN, "PR_ATTACH_DATA_BIN");
        NAMES.put(PR_ATTACH_METHOD, "PR_ATTACH_METHOD");
        NAMES.put(PR_ATTACH_FILENAME, "PR_ATTACH_FILENAME");
        NAMES.put(PR_ATTACH_LONG_FILENAME, "PR_ATTACH_LONG_FILENAME");
        NAMES.put(PR_ATTACH_MIME_TAG, "PR_ATTACH_MIME_TAG");
        NAMES.put(PR_ATTACH_CONTENT_ID, "PR_ATTACH_CONTENT_ID");
        NAMES.put(PR_ATTACH_SIZE, "PR_ATTACH_SIZE");
        NAMES.put(PR_RENDERING_POSITION, "PR_RENDERING_POSITION");
        NAMES.put(PR_FOLDER_TYPE, "PR_FOLDER_TYPE");
        NAMES.put(PR_CONTENT_COUNT, "PR_CONTENT_COUNT");
        NAMES.put(PR_CONTENT_UNREAD, "PR_CONTENT_UNREAD");
        NAMES.put(PR_SUBFOLDERS, "PR_SUBFOLDERS");
        NAMES.put(PR_CONTAINER_CLASS, "PR_CONTAINER_CLASS");
        NAMES.put(PR_CONTAINER_HIERARCHY, "PR_CONTAINER_HIERARCHY");
        NAMES.put(PR_CONTAINER_CONTENTS, "PR_CONTAINER_CONTENTS");
        NAMES.put(PR_FOLDER_ASSOCIATED_CONTENTS, "PR_FOLDER_ASSOCIATED_CONTENTS");
        NAMES.put(PR_ACCESS, "PR_ACCESS");
        NAMES.put(PR_ACCESS_LEVEL, "PR_ACCESS_LEVEL");
        NAMES.put(PR_TRANSPORT_STATUS, "PR_TRANSPORT_STATUS");
        NAMES.put(PR_AB_PROVIDER_ID, "PR_AB_PROVIDER_ID");
        NAMES.put(PR_AB_PROVIDERS, "PR_AB_PROVIDERS");
        NAMES.put(PR_STORE_PROVIDERS, "PR_STORE_PROVIDERS");
        NAMES.put(PR_TRANSPORT_PROVIDERS, "PR_TRANSPORT_PROVIDERS");
    }

    /**
     * @param tag a property tag
     * @return its MAPI name, or null when it is not one of the constants here
     */
    public static String name(int tag) {
        return NAMES.get(tag);
    }
}
