package org.jmapi.store;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Restriction;
import org.jmapi.table.Restrictions;
import org.jmapi.table.SortOrder;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random messages, restrictions and sort orders for the query-equivalence tests: deterministic for a seed, biased
 * towards the cases where SQL and Java could disagree (equal values and ties, absent properties, case folding of
 * non-ASCII text, UTF-16 code units above U+D800, unpaired surrogates, values of the wrong type, out-of-line values,
 * RES_COUNT, sub-restrictions).
 */
public final class RandomContents {
    /** A named property id used as a non-indexed PT_LONG column. */
    public static final int NAMED_LONG = PropTag.tag(PropType.PT_LONG, 0x8001);
    /** A named property id used as a non-indexed PT_MV_UNICODE column. */
    public static final int NAMED_MV = PropTag.tag(PropType.PT_MV_UNICODE, 0x8002);

    private static final String[] PIECES = {"alpha", "Beta", "GAMMA", "déjà", "Dz", "ǅ", "straße", "STRASSE",
            "ΣΊΣΥΦΟΣ", "σίσυφος", "\uD83D\uDE00", "\uFF21\uFF22", "\uE000", "İ", "i", "ß", "x", "X", "y", " ", "-",
            "\uD800", "é", "e\u0301", "Zz", "0", "9"};

    private final Random random;
    private final List<Instant> times = new ArrayList<>();

    /** @param seed the seed; the same seed gives the same sequence */
    public RandomContents(long seed) {
        this.random = new Random(seed);
        for (int i = 0; i < 24; i++) {
            times.add(Instant.ofEpochSecond(random.nextInt(2_000_000_000) - 500_000_000L, random.nextInt(3) == 0 ? 0
                    : random.nextInt(1_000_000_000)));
        }
    }

    /** @return the generator */
    public Random random() {
        return random;
    }

    /** @return a short random string made of tricky pieces; sometimes empty */
    public String text() {
        int n = random.nextInt(4);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return b.toString();
    }

    private Instant time() {
        return times.get(random.nextInt(times.size()));
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    /**
     * @param largeBody a body long enough to go out of line, used now and then
     * @return a random message image
     */
    public MessageImage message(String largeBody) {
        MessageImage.Builder b = MessageImage.builder();
        if (chance(85)) {
            b.set(PropValue.ofString(chance(80) ? PropTags.PR_SUBJECT : PropTag.withType(PropTags.PR_SUBJECT,
                    PropType.PT_STRING8), chance(10) ? text().replace("\uD800", "") : text()));
        }
        if (chance(75)) {
            b.set(PropValue.ofString(PropTags.PR_SENDER_NAME, text()));
        }
        if (chance(80)) {
            String[] classes = {"IPM.Note", "ipm.note", "IPM.Note.Signed", "IPM.Schedule.Meeting", "REPORT.IPM.Note"};
            b.set(PropValue.ofString(PropTags.PR_MESSAGE_CLASS, classes[random.nextInt(classes.length)]));
        }
        for (int tag : new int[] {PropTags.PR_MESSAGE_DELIVERY_TIME, PropTags.PR_CLIENT_SUBMIT_TIME,
                PropTags.PR_LAST_MODIFICATION_TIME}) {
            if (chance(80)) {
                b.set(PropValue.ofTime(tag, time()));
            }
        }
        if (chance(90)) {
            b.set(PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS, random.nextInt(0x100)
                    & ~(Flags.MSGFLAG_ASSOCIATED | Flags.MSGFLAG_SUBMIT)));
        }
        if (chance(70)) {
            b.set(PropValue.ofInt(PropTags.PR_IMPORTANCE, chance(90) ? random.nextInt(3) : random.nextInt()));
        }
        if (chance(60)) {
            b.set(PropValue.ofInt(PropTags.PR_SENSITIVITY, random.nextInt(4)));
        }
        if (chance(60)) {
            b.set(PropValue.ofInt(NAMED_LONG, random.nextInt(7) - 3));
        }
        if (chance(40)) {
            b.set(PropValue.of(NAMED_MV, List.of(text() + "m", text())));
        }
        if (chance(50)) {
            b.set(PropValue.ofString(PropTags.PR_DISPLAY_TO, text()));
        }
        if (chance(40)) {
            b.set(PropValue.ofBinary(PropTags.PR_SEARCH_KEY, text().getBytes(StandardCharsets.UTF_8)));
        }
        if (chance(50)) {
            b.set(PropValue.ofString(PropTags.PR_BODY, chance(30) ? largeBody + text() : text()));
        }
        int recipients = random.nextInt(3);
        for (int i = 0; i < recipients; i++) {
            b.recipient(new Recipient(i, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, text()),
                    PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, 1 + random.nextInt(3)))));
        }
        int attachments = random.nextInt(2);
        for (int i = 0; i < attachments; i++) {
            b.attachment(Attachment.of(i, List.of(PropValue.ofString(PropTags.PR_ATTACH_FILENAME, text()),
                    PropValue.ofInt(PropTags.PR_ATTACH_SIZE, random.nextInt(100)))));
        }
        return b.build();
    }

    private static final int[] STRING_TAGS = {PropTags.PR_SUBJECT, PropTags.PR_SENDER_NAME, PropTags.PR_MESSAGE_CLASS,
            PropTags.PR_DISPLAY_TO, PropTags.PR_BODY};
    private static final int[] TIME_TAGS = {PropTags.PR_MESSAGE_DELIVERY_TIME, PropTags.PR_CLIENT_SUBMIT_TIME,
            PropTags.PR_LAST_MODIFICATION_TIME};
    private static final int[] LONG_TAGS = {PropTags.PR_MESSAGE_FLAGS, PropTags.PR_IMPORTANCE, PropTags.PR_MESSAGE_SIZE,
            PropTags.PR_SENSITIVITY, NAMED_LONG};
    private static final int[] ALL_TAGS = {PropTags.PR_SUBJECT, PropTags.PR_SENDER_NAME, PropTags.PR_MESSAGE_CLASS,
            PropTags.PR_DISPLAY_TO, PropTags.PR_BODY, PropTags.PR_MESSAGE_DELIVERY_TIME, PropTags.PR_CLIENT_SUBMIT_TIME,
            PropTags.PR_LAST_MODIFICATION_TIME, PropTags.PR_MESSAGE_FLAGS, PropTags.PR_IMPORTANCE,
            PropTags.PR_MESSAGE_SIZE, PropTags.PR_SENSITIVITY, NAMED_LONG, NAMED_MV, PropTags.PR_SEARCH_KEY};

    private int pick(int[] tags) {
        return tags[random.nextInt(tags.length)];
    }

    /** @return a random restriction that {@link Restrictions#validate} accepts */
    public Restriction restriction() {
        while (true) {
            Restriction r = node(3);
            try {
                Restrictions.validate(r);
                return r;
            } catch (MapiException e) {
                if (e.hresult() != HResult.MAPI_E_INVALID_PARAMETER) {
                    throw e;
                }
            }
        }
    }

    private Restriction node(int depth) {
        int k = random.nextInt(depth > 0 ? 16 : 10);
        return switch (k) {
            case 0, 1 -> property();
            case 2, 3 -> content();
            case 4 -> new Restriction.Exist(pick(ALL_TAGS));
            case 5 -> new Restriction.Bitmask(random.nextInt(2), PropTag.withType(pick(LONG_TAGS), PropType.PT_LONG),
                    1 << random.nextInt(8));
            case 6 -> new Restriction.Size(random.nextInt(6), pick(ALL_TAGS), random.nextInt(4) == 0
                    ? random.nextInt(3) * 4 : random.nextInt(40));
            case 7 -> new Restriction.CompareProps(random.nextInt(6), pick(ALL_TAGS), pick(ALL_TAGS));
            case 8 -> chance(50) ? new Restriction.Sub(PropTags.PR_MESSAGE_RECIPIENTS, new Restriction.Content(
                    Restriction.FL_SUBSTRING | Restriction.FL_IGNORECASE, PropTags.PR_DISPLAY_NAME,
                    PropValue.ofString(PropTags.PR_DISPLAY_NAME, PIECES[random.nextInt(PIECES.length)])))
                    : new Restriction.Sub(PropTags.PR_MESSAGE_ATTACHMENTS, new Restriction.Property(
                    random.nextInt(6), PropTags.PR_ATTACH_SIZE, PropValue.ofInt(PropTags.PR_ATTACH_SIZE,
                    random.nextInt(100))));
            case 9 -> property();
            case 10, 11 -> new Restriction.And(children(depth));
            case 12, 13 -> new Restriction.Or(children(depth));
            case 14 -> new Restriction.Not(node(depth - 1));
            default -> chance(50) ? new Restriction.Comment(List.of(PropValue.ofInt(PropTags.PR_IMPORTANCE, 1)),
                    chance(20) ? null : node(depth - 1)) : new Restriction.Count(random.nextInt(5), node(depth - 1));
        };
    }

    private List<Restriction> children(int depth) {
        int n = random.nextInt(4);
        List<Restriction> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(node(depth - 1));
        }
        return l;
    }

    private Restriction property() {
        int relop = random.nextInt(6);
        int kind = random.nextInt(10);
        if (kind < 4) {
            int tag = pick(STRING_TAGS);
            int t = chance(20) ? PropTag.withType(tag, PropType.PT_STRING8) : PropTag.withType(tag, PropType.PT_UNICODE);
            return new Restriction.Property(relop, t, PropValue.ofString(t, text()));
        }
        if (kind < 6) {
            int tag = pick(TIME_TAGS);
            return new Restriction.Property(relop, tag, PropValue.ofTime(tag, chance(70) ? time()
                    : Instant.ofEpochSecond(random.nextInt(), random.nextInt(1_000_000_000))));
        }
        if (kind < 8) {
            int tag = PropTag.withType(pick(LONG_TAGS), PropType.PT_LONG);
            return new Restriction.Property(relop, tag, PropValue.ofInt(tag, random.nextInt(8) - 2));
        }
        if (kind == 8) {
            int tag = PropTag.withType(pick(LONG_TAGS), PropType.PT_I8);
            return new Restriction.Property(relop, tag, PropValue.ofLong(tag, random.nextInt(3)));
        }
        int tag = PropTag.withType(NAMED_MV, PropType.PT_MV_UNICODE | PropType.MV_INSTANCE);
        return new Restriction.Property(relop, tag, PropValue.ofString(PropTag.withType(NAMED_MV,
                PropType.PT_UNICODE), text()));
    }

    private Restriction content() {
        int[] levels = {Restriction.FL_FULLSTRING, Restriction.FL_SUBSTRING, Restriction.FL_PREFIX};
        int fuzzy = levels[random.nextInt(3)];
        if (chance(50)) {
            fuzzy |= Restriction.FL_IGNORECASE;
        }
        if (chance(10)) {
            fuzzy |= chance(50) ? Restriction.FL_IGNORENONSPACE : Restriction.FL_LOOSE;
        }
        if (chance(10)) {
            return new Restriction.Content(fuzzy, PropTags.PR_SEARCH_KEY,
                    PropValue.ofBinary(PropTags.PR_SEARCH_KEY, PIECES[random.nextInt(5)].getBytes(StandardCharsets.UTF_8)));
        }
        if (chance(5)) {
            int tag = PropTag.withType(PropTags.PR_SUBJECT, PropType.PT_BINARY);
            return new Restriction.Content(fuzzy, tag, PropValue.ofBinary(tag, new byte[] {'a'}));
        }
        int tag = chance(90) ? pick(STRING_TAGS) : PropTag.withType(NAMED_MV, PropType.PT_MV_UNICODE);
        int type = chance(20) ? PropType.PT_STRING8 : PropType.PT_UNICODE;
        int t = PropType.isMultiValued(PropTag.type(tag)) ? PropTag.withType(tag, PropType.PT_UNICODE)
                : PropTag.withType(tag, type);
        String pattern = chance(70) ? PIECES[random.nextInt(PIECES.length)] : text();
        return new Restriction.Content(fuzzy, t, PropValue.ofString(t, pattern));
    }

    /** @return 0 to 2 random sort keys over indexed and non-indexed properties */
    public List<SortOrder> sortOrder() {
        int n = random.nextInt(3);
        List<SortOrder> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int tag = pick(ALL_TAGS);
            if (PropType.isMultiValued(PropTag.type(tag))) {
                tag = PropTags.PR_SUBJECT;
            }
            keys.add(new SortOrder(tag, random.nextInt(2)));
        }
        return keys;
    }
}
