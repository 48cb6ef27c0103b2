package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.trace.TraceEvent;
import org.jmapi.spi.Recipients;
import org.jmapi.table.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.entryId;
import static org.jmapi.store.provider.StoreFixture.folder;
import static org.jmapi.store.provider.StoreFixture.recipient;
import static org.jmapi.store.provider.StoreFixture.string;

/**
 * The SQLite store's SubmitMessage calls MAPI's part of submission in R-SUB-2's order (PrepareSubmit only for a
 * resend, then ExpandRecips), with what PrepareSubmit does to the recipients (R-SUB-4), through the real runtime.
 * The profile has no transport, so the spooler leaves the queue alone and the submitted message can be read back.
 */
class SubmitRulesTest {

    private static List<PropValue> withType(List<PropValue> row, int type) {
        List<PropValue> out = new ArrayList<>(row);
        out.removeIf(v -> v.id() == (PropTags.PR_RECIPIENT_TYPE >>> 16));
        out.add(PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, type));
        return out;
    }

    private static EntryId submit(MsgStore store, boolean resend) {
        try (MapiFolder outbox = folder(store, PropTags.PR_IPM_OUTBOX_ENTRYID); Message m = outbox.createMessage(0)) {
            List<PropValue> props = new ArrayList<>(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "resent")));
            if (resend) {
                props.add(PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS, Flags.MSGFLAG_RESEND | Flags.MSGFLAG_UNSENT));
            }
            m.setProps(props);
            m.modifyRecipients(0, List.of(
                    withType(recipient("Failed", Flags.MAPI_TO), Flags.MAPI_TO | Flags.MAPI_SUBMITTED),
                    recipient("Reached", Flags.MAPI_TO),
                    recipient("Copy", Flags.MAPI_CC)));
            m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            EntryId id = entryId(m, PropTags.PR_ENTRYID);
            m.submitMessage(0);
            return id;
        }
    }

    private static List<String> supportCalls(StoreFixture f, long mark) {
        return f.trace.since(mark).stream().filter(e -> e.phase() == TraceEvent.Phase.CALL)
                .map(TraceEvent::call).filter(c -> c.equals("IMAPISupport::PrepareSubmit")
                        || c.equals("IMAPISupport::ExpandRecips")).toList();
    }

    @Test
    void R_SUB_4_aResendMarksAlreadyReachedRecipientsP1AndResponsible_andReopensTheFailedOnes(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.start(home)) {
            MapiSession s = f.logon();
            MsgStore store = StoreFixture.open(s);
            long mark = org.jmapi.runtime.Mapi.trace().lastSeq();
            EntryId id = submit(store, true);
            assertThat(supportCalls(f, mark)).containsExactly("IMAPISupport::PrepareSubmit",
                    "IMAPISupport::ExpandRecips"); // R-SUB-2's order
            try (Message m = (Message) store.openEntry(id, Flags.MAPI_BEST_ACCESS)) {
                List<Row> rows = Recipients.of(m);
                assertThat(rows).hasSize(3);
                Row failed = rows.get(0);
                Row reached = rows.get(1);
                Row copy = rows.get(2);
                assertThat(Recipients.intOf(failed, PropTags.PR_RECIPIENT_TYPE, 0)).isEqualTo(Flags.MAPI_TO);
                assertThat(Recipients.responsible(failed)).isFalse(); // to be sent again
                assertThat(Recipients.intOf(reached, PropTags.PR_RECIPIENT_TYPE, 0))
                        .isEqualTo(Flags.MAPI_TO | Flags.MAPI_P1);
                assertThat(Recipients.responsible(reached)).isTrue(); // addressing only
                assertThat(Recipients.intOf(copy, PropTags.PR_RECIPIENT_TYPE, 0))
                        .isEqualTo(Flags.MAPI_CC | Flags.MAPI_P1);
                // ExpandRecips: the display lists leave P1 recipients out
                assertThat(string(m, PropTags.PR_DISPLAY_TO)).isEqualTo("Failed");
                assertThat(string(m, PropTags.PR_DISPLAY_CC)).isEmpty();
            }
            store.release();
            s.logoff(0, 0, 0);
            s.release();
        }
    }

    @Test
    void R_SUB_2_aFirstSubmissionSkipsPrepareSubmit_andEveryRecipientIsStillToBeSent(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.start(home)) {
            MapiSession s = f.logon();
            MsgStore store = StoreFixture.open(s);
            long mark = org.jmapi.runtime.Mapi.trace().lastSeq();
            EntryId id = submit(store, false);
            assertThat(supportCalls(f, mark)).containsExactly("IMAPISupport::ExpandRecips");
            try (Message m = (Message) store.openEntry(id, Flags.MAPI_BEST_ACCESS)) {
                assertThat(Recipients.of(m)).noneMatch(Recipients::responsible);
                assertThat(string(m, PropTags.PR_DISPLAY_TO)).isEqualTo("Failed; Reached");
                assertThat(string(m, PropTags.PR_DISPLAY_CC)).isEqualTo("Copy");
            }
            store.release();
            s.logoff(0, 0, 0);
            s.release();
        }
    }
}
