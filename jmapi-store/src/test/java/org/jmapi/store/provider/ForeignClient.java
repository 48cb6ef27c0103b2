package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.Notification;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.Message;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;

import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link CrossProcessNotificationTest}'s store-notification test: logs on to the store file in
 * the given directory through the provider ({@link Direct}), delivers a message into the Inbox as a transport's
 * spooler would (save, then the spooler's NotifyNewMail, R-OQ-7), creates a folder, and prints
 * {@code DELIVERED <message entry id>} and {@code FOLDER <folder entry id>}.
 */
public final class ForeignClient {
    private ForeignClient() {}

    /** @param args the directory holding {@code store.jmapi} */
    public static void main(String[] args) {
        try (Direct d = Direct.open(Path.of(args[0]))) {
            EntryId inboxId = d.store().getReceiveFolder("IPM.Note", 0).folderId();
            EntryId id;
            try (MapiFolder inbox = (MapiFolder) d.store().openEntry(inboxId, Flags.MAPI_MODIFY);
                 Message m = inbox.createMessage(0)) {
                m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "delivered by another process"),
                        PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note")));
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                id = StoreFixture.entryId(m, PropTags.PR_ENTRYID);
            }
            d.spoolerStore().notifyNewMail(new Notification.NewMail(id, inboxId, 0, "IPM.Note", 0));
            System.out.println("DELIVERED " + id.toHex());
            try (MapiFolder subtree = StoreFixture.folder(d.store(), PropTags.PR_IPM_SUBTREE_ENTRYID);
                 MapiFolder f = subtree.createFolder(MapiFolder.FOLDER_GENERIC, "from another process", null, 0)) {
                System.out.println("FOLDER " + StoreFixture.entryId(f, PropTags.PR_ENTRYID).toHex());
            }
        }
        System.out.flush();
    }
}
