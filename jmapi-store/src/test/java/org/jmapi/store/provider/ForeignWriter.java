package org.jmapi.store.provider;

import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.MessageImage;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.sqlite.SqliteStorage;

import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link CrossProcessNotificationTest}: opens a store file with its own {@link SqliteStorage}
 * (no MAPI), saves one message with the given subject in the given folder, prints {@code SAVED <id>} and exits.
 */
public final class ForeignWriter {
    private ForeignWriter() {}

    /**
     * @param args the store file, the folder's storage id, the subject
     */
    public static void main(String[] args) {
        try (SqliteStorage s = SqliteStorage.open(Path.of(args[0]))) {
            long id = s.saveMessage(SaveRequest.create(Long.parseLong(args[1]), MessageImage.of(List.of(
                    PropValue.ofString(PropTags.PR_SUBJECT, args[2]))))).id();
            System.out.println("SAVED " + id);
            System.out.flush();
        }
    }
}
