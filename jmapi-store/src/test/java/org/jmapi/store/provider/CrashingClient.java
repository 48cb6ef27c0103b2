package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.MapiInit;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link ProviderCrashTest}: a MAPI client that initialises MAPI on a jmapi home, logs on to the
 * profile {@link StoreFixture#PROFILE} (whose {@value SqliteStoreService#NAME} service the parent configured) and, until
 * it is killed, saves messages in the Inbox and submits messages from the Outbox through the real runtime. After each
 * call returned it prints one acknowledgement and flushes: {@code SAVE <n> <entry id hex>} or
 * {@code SUBMIT <n> <entry id hex>}. Message {@code n}'s subject and body are functions of {@code n}
 * ({@link #subject}, {@link #body}); every third message is a submission.
 */
public final class CrashingClient {
    private CrashingClient() {}

    static String subject(int n) {
        return "crash " + n;
    }

    static String body(int n) {
        return ("body of message " + n + " ").repeat(1 + n % 7);
    }

    static boolean submits(int n) {
        return n % 3 == 2;
    }

    /**
     * @param args the jmapi home
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        Mapi.initialize(MapiInit.home(Path.of(args[0])));
        MapiSession session = Mapi.logonEx(0, StoreFixture.PROFILE, null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION);
        MsgStore store = StoreFixture.open(session);
        MapiFolder inbox = (MapiFolder) store.openEntry(store.getReceiveFolder("", 0).folderId(), Flags.MAPI_MODIFY);
        MapiFolder outbox = StoreFixture.folder(store, PropTags.PR_IPM_OUTBOX_ENTRYID);
        out.println("READY");
        out.flush();
        for (int n = 0; ; n++) {
            List<PropValue> props = List.of(PropValue.ofString(PropTags.PR_SUBJECT, subject(n)),
                    PropValue.ofString(PropTags.PR_BODY, body(n)));
            if (submits(n)) {
                try (Message m = outbox.createMessage(0)) {
                    m.setProps(props);
                    m.modifyRecipients(0, List.of(StoreFixture.recipient("Rcpt" + n, Flags.MAPI_TO)));
                    m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                    EntryId id = StoreFixture.entryId(m, PropTags.PR_ENTRYID);
                    m.submitMessage(0);
                    out.println("SUBMIT " + n + " " + id.toHex());
                }
            } else {
                try (Message m = inbox.createMessage(0)) {
                    m.setProps(props);
                    m.saveChanges(Flags.KEEP_OPEN_READONLY);
                    out.println("SAVE " + n + " " + StoreFixture.entryId(m, PropTags.PR_ENTRYID).toHex());
                }
            }
            out.flush();
        }
    }
}
