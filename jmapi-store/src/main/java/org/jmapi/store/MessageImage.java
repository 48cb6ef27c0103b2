package org.jmapi.store;

import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything a message is, as the storage keeps it: its properties, its recipient rows and its attachments (each
 * possibly holding an embedded message image). {@link Storage#saveMessage} writes a whole image atomically
 * (IMessage::SaveChanges, R-PROP-5: all or nothing) and {@link Storage#loadMessage} reads one back.
 *
 * <p>A property is in exactly one of three places: {@link #properties()} (the value itself),
 * {@link #largeValues()} (a value stored out of line, loaded as a reference) or {@link #streams()} (a value to be
 * written from a stream; only meaningful when saving). Every property type of MAPI may be stored, multi-valued
 * ones and named properties (ids 0x8000..0xFFFE) included; PT_ERROR, PT_NULL, PT_OBJECT and PT_UNSPECIFIED values
 * are refused (they describe a missing or non-value property, R-PROP-2).
 *
 * <p>Properties the storage maintains itself, whatever the image says: PR_MESSAGE_SIZE (computed on save),
 * PR_SUBMIT_FLAGS (from the outgoing queue, SUBMITFLAG_LOCKED while a live spooler holds the lock), and the
 * MSGFLAG_ASSOCIATED and MSGFLAG_SUBMIT bits of PR_MESSAGE_FLAGS (from the associated flag and the queue). They
 * apply to the top-level message only. Immutable; build one with {@link #builder()}.
 *
 * @param properties  inline property values
 * @param largeValues values held out of line
 * @param streams     values to write from streams
 * @param recipients  the recipient rows, in row order
 * @param attachments the attachments, in attachment order
 */
public record MessageImage(List<PropValue> properties, List<LargeValue> largeValues, List<ValueStream> streams,
                           List<Recipient> recipients, List<Attachment> attachments) {
    /**
     * Copies the lists.
     *
     * @param properties inline property values
     * @param largeValues values held out of line
     * @param streams values to write from streams
     * @param recipients the recipient rows, in row order
     * @param attachments the attachments, in attachment order
     */
    public MessageImage {
        properties = List.copyOf(properties);
        largeValues = List.copyOf(largeValues);
        streams = List.copyOf(streams);
        recipients = List.copyOf(recipients);
        attachments = List.copyOf(attachments);
    }

    /**
     * @param properties inline properties
     * @return an image with only these properties
     */
    public static MessageImage of(List<PropValue> properties) {
        return new MessageImage(properties, List.of(), List.of(), List.of(), List.of());
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this image's parts, to derive a changed image */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.properties.addAll(properties);
        b.largeValues.addAll(largeValues);
        b.streams.addAll(streams);
        b.recipients.addAll(recipients);
        b.attachments.addAll(attachments);
        return b;
    }

    /**
     * @param tag a property tag; only its id matters
     * @return the inline value with that id
     */
    public Optional<PropValue> find(int tag) {
        int id = PropTag.id(tag);
        return properties.stream().filter(v -> v.id() == id).findFirst();
    }

    /**
     * @param tag a property tag; only its id matters
     * @return the out-of-line value with that id
     */
    public Optional<LargeValue> findLarge(int tag) {
        int id = PropTag.id(tag);
        return largeValues.stream().filter(v -> PropTag.id(v.tag()) == id).findFirst();
    }

    /**
     * @param attachNum PR_ATTACH_NUM
     * @return that attachment
     */
    public Optional<Attachment> attachment(int attachNum) {
        return attachments.stream().filter(a -> a.attachNum() == attachNum).findFirst();
    }

    /** Collects the parts of a {@link MessageImage}. Not thread-safe; use one builder on one thread. */
    public static final class Builder {
        private final List<PropValue> properties = new ArrayList<>();
        private final List<LargeValue> largeValues = new ArrayList<>();
        private final List<ValueStream> streams = new ArrayList<>();
        private final List<Recipient> recipients = new ArrayList<>();
        private final List<Attachment> attachments = new ArrayList<>();

        private Builder() {}

        /**
         * Sets an inline value, replacing any value, large value or stream with the same id (as SetProps does,
         * R-PROP-2).
         *
         * @param v the value
         * @return this builder
         */
        public Builder set(PropValue v) {
            remove(v.tag());
            properties.add(v);
            return this;
        }

        /**
         * @param values values to {@link #set} in turn
         * @return this builder
         */
        public Builder setAll(List<PropValue> values) {
            values.forEach(this::set);
            return this;
        }

        /**
         * Sets a value to be written from a stream, replacing any value with the same id.
         *
         * @param tag    a PT_BINARY / PT_UNICODE / PT_STRING8 tag
         * @param source the bytes in the value's stream form
         * @return this builder
         */
        public Builder stream(int tag, StreamSource source) {
            remove(tag);
            streams.add(new ValueStream(tag, source));
            return this;
        }

        /**
         * @param v an out-of-line value to keep
         * @return this builder
         */
        public Builder keep(LargeValue v) {
            remove(v.tag());
            largeValues.add(v);
            return this;
        }

        /**
         * Removes the value with the tag's id, wherever it is (DeleteProps, R-PROP-3: only the id matters).
         *
         * @param tag the tag
         * @return this builder
         */
        public Builder remove(int tag) {
            int id = PropTag.id(tag);
            properties.removeIf(p -> p.id() == id);
            largeValues.removeIf(p -> PropTag.id(p.tag()) == id);
            streams.removeIf(p -> PropTag.id(p.tag()) == id);
            return this;
        }

        /**
         * @param r a recipient row to append
         * @return this builder
         */
        public Builder recipient(Recipient r) {
            recipients.add(r);
            return this;
        }

        /**
         * @param rows the new recipient table, replacing the old one
         * @return this builder
         */
        public Builder recipients(List<Recipient> rows) {
            recipients.clear();
            recipients.addAll(rows);
            return this;
        }

        /**
         * @param a an attachment to append
         * @return this builder
         */
        public Builder attachment(Attachment a) {
            attachments.add(a);
            return this;
        }

        /**
         * @param list the new attachment list, replacing the old one
         * @return this builder
         */
        public Builder attachments(List<Attachment> list) {
            attachments.clear();
            attachments.addAll(list);
            return this;
        }

        /** @return the image */
        public MessageImage build() {
            return new MessageImage(properties, largeValues, streams, recipients, attachments);
        }
    }
}
