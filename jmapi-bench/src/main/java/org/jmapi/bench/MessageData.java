package org.jmapi.bench;

import org.jmapi.Flags;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.MessageImage;
import org.jmapi.store.Recipient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One benchmark message, as plain values, so that jmapi and the plain-SQLite baselines store exactly the same data:
 * 20 top-level properties (one of them the body) and 2 recipients. {@link #image()} is the jmapi form;
 * {@link #props()} lists the same 20 values as (tag, JDBC value) pairs for the baselines.
 *
 * @param subject       PR_SUBJECT
 * @param importance    PR_IMPORTANCE
 * @param priority      PR_PRIORITY
 * @param sensitivity   PR_SENSITIVITY
 * @param submitTime    PR_CLIENT_SUBMIT_TIME
 * @param deliveryTime  PR_MESSAGE_DELIVERY_TIME
 * @param flags         PR_MESSAGE_FLAGS
 * @param senderName    PR_SENDER_NAME (also PR_SENT_REPRESENTING_NAME)
 * @param senderEmail   PR_SENDER_EMAIL_ADDRESS (also PR_SENT_REPRESENTING_EMAIL_ADDRESS)
 * @param displayTo     PR_DISPLAY_TO
 * @param displayCc     PR_DISPLAY_CC
 * @param messageId     PR_INTERNET_MESSAGE_ID
 * @param modified      PR_LAST_MODIFICATION_TIME
 * @param body          PR_BODY
 * @param recipients    the recipient rows (name, address, MAPI_TO / MAPI_CC)
 */
public record MessageData(String subject, int importance, int priority, int sensitivity, Instant submitTime,
                          Instant deliveryTime, int flags, String senderName, String senderEmail, String displayTo,
                          String displayCc, String messageId, Instant modified, String body,
                          List<Rcpt> recipients) {

    /** The word {@code table.restrict} looks for; it is not in {@link #WORDS}, so only planted subjects hold it. */
    public static final String NEEDLE = "quarterly";

    /** Probability that a generated subject contains {@link #NEEDLE} (in one of several cases). */
    public static final double NEEDLE_FRACTION = 0.02;

    private static final String[] WORDS = ("meeting report budget review project update lunch invoice draft "
            + "schedule contract travel offer plan team release build server outage customer feedback agenda notes "
            + "summary request approval minutes design launch proposal deadline status weekly monthly annual "
            + "training workshop conference call follow reminder question answer issue ticket order delivery "
            + "payment receipt holiday party welcome account password security policy change migration backup "
            + "storage network printer office kitchen parking visitor badge laptop phone license renewal audit "
            + "hiring interview candidate offer onboarding benefits payroll expense claim vendor partner sales "
            + "marketing campaign newsletter webinar survey results metrics dashboard roadmap milestone sprint "
            + "retro demo prototype spec review bug fix patch deploy rollback incident postmortem").split(" ");

    private static final String[] NAMES = ("Alice Bob Carol Dave Erin Frank Grace Heidi Ivan Judy Mallory Niaj "
            + "Olivia Peggy Rupert Sybil Trent Victor Walter Yvonne").split(" ");

    private static final String[] NEEDLE_FORMS = {"quarterly", "Quarterly", "QUARTERLY", "QuArTeRlY"};

    /** PR_MESSAGE_CLASS of every generated message. */
    public static final String MESSAGE_CLASS = "IPM.Note";

    /**
     * A recipient row.
     *
     * @param name    PR_DISPLAY_NAME
     * @param address PR_EMAIL_ADDRESS (PR_ADDRTYPE is "SMTP")
     * @param type    PR_RECIPIENT_TYPE
     */
    public record Rcpt(String name, String address, int type) {}

    /**
     * @param seed      the random seed (the same seed gives the same message)
     * @param bodyChars the body's length in characters (ASCII text)
     * @param base      the earliest delivery time
     * @return a message with 20 properties and 2 recipients
     */
    public static MessageData generate(long seed, int bodyChars, Instant base) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 3 + r.nextInt(5);
        StringBuilder subject = new StringBuilder();
        int needleAt = r.nextDouble() < NEEDLE_FRACTION ? r.nextInt(n) : -1;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                subject.append(' ');
            }
            if (i == needleAt) {
                subject.append(NEEDLE_FORMS[r.nextInt(NEEDLE_FORMS.length)]);
            } else {
                String w = WORDS[r.nextInt(WORDS.length)];
                subject.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
            }
        }
        String from = NAMES[r.nextInt(NAMES.length)];
        String to = NAMES[r.nextInt(NAMES.length)];
        String cc = NAMES[r.nextInt(NAMES.length)];
        Instant delivered = base.plusMillis(r.nextLong(365L * 24 * 3600 * 1000));
        Instant submitted = delivered.minusMillis(r.nextInt(60_000));
        StringBuilder body = new StringBuilder(bodyChars);
        while (body.length() < bodyChars) {
            body.append(WORDS[r.nextInt(WORDS.length)]).append(body.length() % 80 < 8 ? "\r\n" : " ");
        }
        body.setLength(bodyChars);
        return new MessageData(subject.toString(), r.nextInt(3), r.nextInt(3) - 1, 0, submitted, delivered,
                r.nextInt(4) == 0 ? 0 : Flags.MSGFLAG_READ, from, mail(from), to, cc,
                "<" + Long.toHexString(r.nextLong()) + "@bench.example>", delivered, body.toString(),
                List.of(new Rcpt(to, mail(to), Flags.MAPI_TO), new Rcpt(cc, mail(cc), Flags.MAPI_CC)));
    }

    private static String mail(String name) {
        return name.toLowerCase(Locale.ROOT) + "@bench.example";
    }

    /** @return the 20 top-level properties, as jmapi stores them */
    public List<PropValue> properties() {
        List<PropValue> p = new ArrayList<>(20);
        p.add(PropValue.ofString(PropTags.PR_MESSAGE_CLASS, MESSAGE_CLASS));
        p.add(PropValue.ofString(PropTags.PR_SUBJECT, subject));
        p.add(PropValue.ofString(PropTags.PR_CONVERSATION_TOPIC, subject));
        p.add(PropValue.ofInt(PropTags.PR_IMPORTANCE, importance));
        p.add(PropValue.ofInt(PropTags.PR_PRIORITY, priority));
        p.add(PropValue.ofInt(PropTags.PR_SENSITIVITY, sensitivity));
        p.add(PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME, submitTime));
        p.add(PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, deliveryTime));
        p.add(PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS, flags));
        p.add(PropValue.ofString(PropTags.PR_SENDER_NAME, senderName));
        p.add(PropValue.ofString(PropTags.PR_SENDER_EMAIL_ADDRESS, senderEmail));
        p.add(PropValue.ofString(PropTags.PR_SENDER_ADDRTYPE, "SMTP"));
        p.add(PropValue.ofString(PropTags.PR_SENT_REPRESENTING_NAME, senderName));
        p.add(PropValue.ofString(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS, senderEmail));
        p.add(PropValue.ofString(PropTags.PR_DISPLAY_TO, displayTo));
        p.add(PropValue.ofString(PropTags.PR_DISPLAY_CC, displayCc));
        p.add(PropValue.ofString(PropTags.PR_INTERNET_MESSAGE_ID, messageId));
        p.add(PropValue.ofBoolean(PropTags.PR_HASATTACH, false));
        p.add(PropValue.ofTime(PropTags.PR_LAST_MODIFICATION_TIME, modified));
        p.add(PropValue.ofString(PropTags.PR_BODY, body));
        return p;
    }

    /** @return the message as a jmapi image: the 20 properties and the 2 recipient rows */
    public MessageImage image() {
        MessageImage.Builder b = MessageImage.builder().setAll(properties());
        int row = 0;
        for (Rcpt rc : recipients) {
            b.recipient(new Recipient(row++, List.of(
                    PropValue.ofString(PropTags.PR_DISPLAY_NAME, rc.name()),
                    PropValue.ofString(PropTags.PR_EMAIL_ADDRESS, rc.address()),
                    PropValue.ofString(PropTags.PR_ADDRTYPE, "SMTP"),
                    PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, rc.type()))));
        }
        return b.build();
    }

    /**
     * The same 20 values as (tag, value) pairs in the form a plain JDBC application binds them: strings as TEXT,
     * integers and booleans as INTEGER, times as INTEGER epoch milliseconds.
     *
     * @return the pairs, in {@link #properties()} order
     */
    public List<Object[]> props() {
        List<Object[]> out = new ArrayList<>(20);
        for (PropValue v : properties()) {
            Object value = v.value();
            if (value instanceof Instant t) {
                value = t.toEpochMilli();
            } else if (value instanceof Boolean b) {
                value = b ? 1 : 0;
            }
            out.add(new Object[] {v.tag(), value});
        }
        return out;
    }
}
