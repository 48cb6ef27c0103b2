package org.jmapi.runtime.trace;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.jmapi.HResult;

/**
 * One recorded crossing of a MAPI boundary: the start ({@link Phase#CALL}) or the end ({@link Phase#RETURN}) of a
 * call such as {@code IMsgStore::StoreLogoff} on the object labelled {@code store:2}.
 *
 * <p>An event holds only a method name, an object label, a flag word and an HRESULT, never property values,
 * passwords or other payload, so a trace can be shared without leaking secrets.
 *
 * <p>The JSON form ({@link #toJson()}) is one line with the fields in this order:
 * <pre>{@code
 * {"seq":12,"time":"2026-11-21T05:40:01.123Z","thread":"main","call":"IMsgStore::StoreLogoff","phase":"call","object":"store:2","flags":"0x00000002"}
 * {"seq":15,"time":"2026-11-21T05:40:01.125Z","thread":"main","call":"IMsgStore::StoreLogoff","phase":"return","object":"store:2","flags":"0x00010000","hr":"0x00000000","hrName":"S_OK"}
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@code time} is kept at millisecond precision (the constructor truncates it), so
 * {@code fromJson(e.toJson()).equals(e)} holds for every event; {@code seq} gives the exact order.
 *
 * @param seq     position in the trace's total order, from the trace's global counter; never negative
 * @param time    wall-clock time the event was recorded, truncated to milliseconds
 * @param thread  name of the thread that made the call
 * @param call    the method in MAPI's spelling, e.g. {@code "IMAPISupport::StoreLogoffTransports"}
 * @param phase   whether the call starts or returns
 * @param object  label of the object the call concerns, e.g. {@code "store:2"}, {@code "session:1"}, {@code "xp:3"}
 * @param flags   flags passed in (for {@link Phase#CALL}) or passed out (for {@link Phase#RETURN}; 0 when none)
 * @param hresult the result for {@link Phase#RETURN}; {@code null} for {@link Phase#CALL}
 */
public record TraceEvent(long seq, Instant time, String thread, String call, Phase phase, String object, int flags,
                         Integer hresult) {

    /** Whether an event marks the start or the end of a call. */
    public enum Phase {
        /** The call starts; {@link #flags()} are the flags passed in and there is no HRESULT. */
        CALL("call"),
        /** The call ends; {@link #flags()} are the flags passed out and {@link #hresult()} is set. */
        RETURN("return");

        private final String wire;

        Phase(String wire) {
            this.wire = wire;
        }

        /**
         * The spelling used in JSON and in {@link TraceEvent#brief()}.
         *
         * @return {@code "call"} or {@code "return"}
         */
        public String wireName() {
            return wire;
        }

        /**
         * The phase with the given JSON spelling.
         *
         * @param wire {@code "call"} or {@code "return"}
         * @return the matching phase
         * @throws IllegalArgumentException for any other string
         */
        public static Phase fromWireName(String wire) {
            for (Phase p : values()) {
                if (p.wire.equals(wire)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown trace phase \"" + wire + "\" (expected call or return)");
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

    /**
     * Validates and normalises the components (the only change: {@code time} is truncated to milliseconds).
     *
     * @param seq     position in the trace's total order; never negative
     * @param time    when the event was recorded
     * @param thread  name of the calling thread
     * @param call    the method in MAPI's spelling
     * @param phase   call or return
     * @param object  label of the object the call concerns
     * @param flags   flags in (call) or out (return)
     * @param hresult the result on a return; null on a call
     * @throws NullPointerException     if {@code time}, {@code thread}, {@code call}, {@code phase} or {@code object}
     *                                  is null
     * @throws IllegalArgumentException if {@code seq} is negative, or {@code hresult} is present on a CALL or
     *                                  missing on a RETURN
     */
    public TraceEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(object, "object");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative: " + seq);
        }
        if (phase == Phase.CALL && hresult != null) {
            throw new IllegalArgumentException("a call event has no hresult: " + call);
        }
        if (phase == Phase.RETURN && hresult == null) {
            throw new IllegalArgumentException("a return event needs an hresult: " + call);
        }
        time = time.truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * The event as one line of JSON (no line terminator), fields in the order {@code seq, time, thread, call,
     * phase, object, flags} and for returns {@code hr, hrName}. {@code time} is ISO-8601 UTC with exactly three
     * fraction digits; {@code flags} and {@code hr} are {@code 0x} plus eight upper-case hex digits
     * ({@link HResult#hex}); {@code hrName} is {@link HResult#name}. Control characters in strings are escaped,
     * so the result never contains a line break.
     *
     * @return the JSON line
     */
    public String toJson() {
        StringWriter out = new StringWriter(192);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("seq", seq);
            g.writeStringField("time", TIME.format(time));
            g.writeStringField("thread", thread);
            g.writeStringField("call", call);
            g.writeStringField("phase", phase.wireName());
            g.writeStringField("object", object);
            g.writeStringField("flags", HResult.hex(flags));
            if (hresult != null) {
                g.writeStringField("hr", HResult.hex(hresult));
                g.writeStringField("hrName", HResult.name(hresult));
            }
            g.writeEndObject();
        } catch (IOException e) {
            // A StringWriter does not fail; keep the signature free of checked exceptions anyway.
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A short human-readable form for test assertions and logs: {@code "IMsgStore::StoreLogoff call store:2
     * 0x00000002"} or {@code "IMsgStore::StoreLogoff return store:2 0x00010000 S_OK"}. Sequence, time and thread
     * are left out so that expected sequences can be written down literally.
     *
     * @return call, phase, object, flags and (for returns) the HRESULT's name, separated by single spaces
     */
    public String brief() {
        String s = call + ' ' + phase.wireName() + ' ' + object + ' ' + HResult.hex(flags);
        return hresult == null ? s : s + ' ' + HResult.name(hresult);
    }

    /**
     * Parses one line written by {@link #toJson()}. {@code hrName} is derived data and is not read; fields this
     * version does not know are ignored, so traces written by later versions still parse.
     *
     * @param line one JSON object, surrounding whitespace allowed
     * @return the event the line describes
     * @throws NullPointerException     if {@code line} is null
     * @throws IllegalArgumentException if the line is not a JSON object, a required field is missing or has the wrong
     *                                  form, or {@code hr} is present on a call / missing on a return
     */
    public static TraceEvent fromJson(String line) {
        Objects.requireNonNull(line, "line");
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON trace line: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a trace line must be a JSON object");
        }
        JsonNode seqNode = n.get("seq");
        if (seqNode == null || !seqNode.isIntegralNumber() || !seqNode.canConvertToLong()) {
            throw new IllegalArgumentException("trace line lacks an integer \"seq\"");
        }
        Instant time;
        try {
            time = Instant.parse(text(n, "time"));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("trace line has a malformed \"time\": " + e.getMessage(), e);
        }
        Phase phase = Phase.fromWireName(text(n, "phase"));
        Integer hr = n.has("hr") ? hex(n, "hr") : null;
        return new TraceEvent(seqNode.longValue(), time, text(n, "thread"), text(n, "call"), phase,
                text(n, "object"), hex(n, "flags"), hr);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("trace line lacks a string \"" + field + "\"");
        }
        return v.textValue();
    }

    private static int hex(JsonNode n, String field) {
        String s = text(n, field);
        boolean ok = s.length() == 10 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X');
        for (int i = 2; ok && i < s.length(); i++) {
            char c = s.charAt(i);
            ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }
        if (!ok) {
            throw new IllegalArgumentException("\"" + field + "\" must be 0x followed by 8 hex digits: " + s);
        }
        return Integer.parseUnsignedInt(s.substring(2), 16);
    }
}
