package org.jmapi.runtime.profile;

import org.jmapi.Flags;
import org.jmapi.MapiUid;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;

import java.nio.file.Path;
import java.util.List;

/**
 * A second process for {@link ProfilePersistenceTest}: sets {@code count} PT_LONG properties, ids from
 * {@code base}, one SetProps each, in one section of a profile under a shared home.
 */
public final class ProfileWriterMain {
    private ProfileWriterMain() {}

    /**
     * @param args home, profile name, section UID, first property id, count
     */
    public static void main(String[] args) {
        ProfileStore store = ProfileStore.open(Path.of(args[0]), ServiceCatalog.of(List.of()));
        Profile p = store.load(args[1]);
        int base = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        try (ProfileSection s = p.openSection(MapiUid.parse(args[2]), Flags.MAPI_MODIFY, false)) {
            for (int i = 0; i < count; i++) {
                s.setProps(List.of(PropValue.ofInt(PropTag.tag(PropType.PT_LONG, base + i), i)));
            }
        }
    }
}
