package dev.cdcrelay.decode;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal: why and where a record failed, collected while the decoder's recursion unwinds (each
 * level adds its own path segment in a catch block, so the happy path pays nothing for paths).
 *
 * <p>Reasons are fixed texts written here or in the decoder; jackson's own messages are never
 * passed on because they quote the offending input (e.g. {@code Unrecognized token 'secret'}).
 */
final class DecodeFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Longest attribute name shown as is in a path; longer ones are cut. */
    private static final int MAX_SEGMENT_CHARS = 64;

    private final String reason;
    /** Path segments, innermost first (they are added while unwinding). */
    private final List<Object> segments = new ArrayList<>(4);

    private DecodeFailure(String reason, Throwable cause) {
        super(reason, cause, false, false);
        this.reason = reason;
    }

    static DecodeFailure of(String reason) {
        return new DecodeFailure(reason, null);
    }

    /** Converts whatever went wrong below a path segment into a failure that can take the segment. */
    static DecodeFailure wrap(Throwable e) {
        if (e instanceof DecodeFailure f) {
            return f;
        }
        return new DecodeFailure(reasonFor(e), e);
    }

    /** Path segment for a field whose name is not shown (it could be payload shifted into a name). */
    static final String UNKNOWN_FIELD = new String("(unknown field)");

    /** Adds an attribute or field name (the segment above everything added so far). */
    DecodeFailure atName(String name) {
        segments.add(name);
        return this;
    }

    /** Adds a list or set index. */
    DecodeFailure atIndex(int index) {
        segments.add(index);
        return this;
    }

    boolean hasPath() {
        return !segments.isEmpty();
    }

    String reason() {
        return reason;
    }

    /** e.g. {@code NewImage.sensor.readings[3]}; empty for the record as a whole. */
    String path() {
        StringBuilder sb = new StringBuilder(32);
        for (int i = segments.size() - 1; i >= 0; i--) {
            Object s = segments.get(i);
            if (s instanceof Integer index) {
                sb.append('[').append(index.intValue()).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                appendName(sb, (String) s);
            }
        }
        return sb.toString();
    }

    /** Plain names as they are; anything unusual quoted, escaped and cut to a short length. */
    private static void appendName(StringBuilder sb, String name) {
        if (name == UNKNOWN_FIELD) {   // identity: no name read from JSON is this instance
            sb.append(name);
            return;
        }
        boolean plain = !name.isEmpty() && name.length() <= MAX_SEGMENT_CHARS;
        for (int i = 0; plain && i < name.length(); i++) {
            char c = name.charAt(i);
            plain = c > 0x20 && c < 0x7f && c != '.' && c != '[' && c != ']' && c != '"' && c != '\\';
        }
        if (plain) {
            sb.append(name);
            return;
        }
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) == '.') {
            sb.setLength(sb.length() - 1);
        }
        sb.append("[\"");
        int n = Math.min(name.length(), MAX_SEGMENT_CHARS);
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (name.length() > n) {
            sb.append("...");
        }
        sb.append("\"]");
    }

    /** The message for the caller: record, path, reason; never any value. */
    String message(String sequenceNumber) {
        String path = path();
        return "record " + sequenceNumber + ": " + (path.isEmpty() ? "" : path + ": ") + reason;
    }

    /** A fixed, payload-free reason for an exception thrown by the JSON parser (or a bug). */
    static String reasonFor(Throwable e) {
        if (e instanceof StreamConstraintsException sce) {
            // Jackson builds these from numbers only ("String value length (N) exceeds the maximum
            // allowed (M, from ...)"); strip the pointer to its own API and the location.
            String m = sce.getOriginalMessage();
            int from = m == null ? -1 : m.indexOf(", from `");
            if (from > 0) {
                m = m.substring(0, from) + ")";
            }
            return "exceeds a parser limit: " + m;
        }
        if (e instanceof JsonEOFException) {
            return "truncated JSON (unexpected end of input)";
        }
        if (e instanceof InputCoercionException) {
            return "JSON number out of range";
        }
        if (e instanceof JsonProcessingException jpe) {
            String m = jpe.getOriginalMessage();
            if (m != null && m.startsWith("Duplicate field")) {
                return "duplicate key";
            }
            if (m != null && m.startsWith("Unexpected end-of-input")) {
                return "truncated JSON (unexpected end of input)";
            }
            return "malformed JSON" + where(jpe.getLocation());
        }
        if (e instanceof IOException) {
            return "unreadable input (" + e.getClass().getSimpleName() + ")";
        }
        return "unexpected parser failure (" + e.getClass().getSimpleName() + ")";
    }

    private static String where(JsonLocation loc) {
        if (loc == null) {
            return "";
        }
        long offset = loc.getByteOffset();
        if (offset >= 0) {
            return " at byte " + offset;
        }
        return loc.getColumnNr() > 0 ? " at line " + loc.getLineNr() + " column " + loc.getColumnNr() : "";
    }
}
