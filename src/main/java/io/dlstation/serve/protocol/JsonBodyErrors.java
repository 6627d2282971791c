package io.dlstation.serve.protocol;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.dlstation.error.DlstationException;
import io.dlstation.error.InternalNames;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is wrong with a request body the JSON parser refused, in the product's words: where (line and
 * column of the body) and what ("unexpected character 'x' where a field name in double quotes should
 * be", "NaN and Infinity are not allowed in JSON numbers", "nested more than 1000 levels deep"), never
 * the parser's class or option names. The parser's own message is only read, to tell its cases apart.
 */
final class JsonBodyErrors {
    private static final Pattern NON_STANDARD = Pattern.compile("^Non-standard token '([^']*)'");
    private static final Pattern NON_STANDARD_NUMBER = Pattern.compile("^Non-standard token '[-+]?(?:NaN|Infinity|INF)'");
    private static final Pattern OPENED_AT = Pattern.compile(
            "(Object|Array) \\(?(?:start marker at|starting at) \\[.*?line: (\\d+), column: (\\d+)\\]");
    private static final Pattern CLOSE_MARKER = Pattern.compile("^Unexpected close marker '(.)': expected '(.)'");
    private static final Pattern CHARACTER = Pattern.compile("^Unexpected character \\('(.*?)' \\(code (\\d+)\\)\\)");
    private static final Pattern TOKEN = Pattern.compile("^Unrecognized token '(.*?)'");
    private static final Pattern CONTROL = Pattern.compile("^Illegal unquoted character \\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
    private static final Pattern UTF8 = Pattern.compile("^Invalid UTF-8 (?:start|middle) byte (0x[0-9a-fA-F]+)");
    private static final Pattern ESCAPE = Pattern.compile("^Unrecognized character escape '(.*?)'");
    private static final Pattern OUT_OF_RANGE = Pattern.compile("^Numeric value \\((.*?)\\) out of range");
    private static final Pattern BAD_NUMBER = Pattern.compile("^Invalid numeric value: ([^:`]*)");
    private static final int QUOTE_LIMIT = 40;

    private JsonBodyErrors() {}

    /**
     * The error for a request body the parser refused.
     *
     * @param what what was being read, e.g. "the request body" or "inputs[0] ('x').data"
     * @param limits the parser's limits, to name the one a body went over
     * @param fix what to send instead, e.g. "send a JSON object {\"inputs\": [...]}"
     */
    static DlstationException of(JsonProcessingException error, String what, StreamReadConstraints limits, String fix) {
        JsonProcessingException e = error;
        for (Throwable t = error.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof JsonProcessingException inner) {
                e = inner; // what the parser said under what a mapper made of it
            }
        }
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            return DlstationException.badInput(what + " " + overLimit(message, limits));
        }
        if (e instanceof InputCoercionException) {
            Matcher m = OUT_OF_RANGE.matcher(message);
            return DlstationException.badInput(what + at(e.getLocation()) + " holds "
                    + (m.find() ? "the number " + quote(m.group(1)) : "a number") + ", out of range for a whole number "
                    + "(64 bits at most)");
        }
        String instead = NON_STANDARD_NUMBER.matcher(message).find() ? "send finite numbers" : fix;
        return DlstationException.badInput(what + " is not valid JSON" + at(e.getLocation()) + ": " + problem(message)
                + (instead == null ? "" : "; " + instead));
    }

    /** Which limit of {@code limits} the body went over. */
    private static String overLimit(String message, StreamReadConstraints limits) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("nesting depth")) {
            return "is nested more than " + limits.getMaxNestingDepth() + " levels deep; send flatter JSON (tensor data "
                    + "may be one flat list, in row-major order)";
        }
        if (m.contains("number value length") || m.contains("number length")) {
            return "holds a number of more than " + limits.getMaxNumberLength() + " characters";
        }
        if (m.contains("string value length")) {
            return "holds a string of more than " + limits.getMaxStringLength() + " characters";
        }
        if (m.contains("name length")) {
            return "holds a field name of more than " + limits.getMaxNameLength() + " characters";
        }
        return "is larger or more complex than this server reads as JSON";
    }

    /** What the parser found wrong. */
    private static String problem(String message) {
        Matcher m;
        if ((m = NON_STANDARD.matcher(message)).find()) {
            String token = m.group(1);
            return NON_STANDARD_NUMBER.matcher(message).find() ? "NaN and Infinity are not allowed in JSON numbers "
                    + "(found '" + token + "')" : "'" + quote(token) + "' is not a JSON value";
        }
        if (message.startsWith("Unexpected end-of-input")) {
            Matcher opened = OPENED_AT.matcher(message);
            return "the body ends before the JSON is complete" + (opened.find() ? " (the " + noun(opened.group(1))
                    + " opened at line " + opened.group(2) + ", column " + opened.group(3) + " is not closed)" : "");
        }
        if ((m = CLOSE_MARKER.matcher(message)).find()) {
            Matcher opened = OPENED_AT.matcher(message);
            return "unexpected '" + m.group(1) + "' where '" + m.group(2) + "' should close the "
                    + (opened.find() ? noun(opened.group(1)) + " opened at line " + opened.group(2) + ", column "
                    + opened.group(3) : "open " + (m.group(2).equals("]") ? "array" : "object"));
        }
        if ((m = CHARACTER.matcher(message)).find()) {
            int code = Integer.parseInt(m.group(2));
            String character = code < 32 ? "control character (code " + code + ")" : "character '" + m.group(1) + "'";
            return "unexpected " + character + expectation(message);
        }
        if ((m = TOKEN.matcher(message)).find()) {
            return "'" + quote(m.group(1)) + "' is not a JSON value (write strings in double quotes; the words JSON "
                    + "knows are true, false and null)";
        }
        if ((m = CONTROL.matcher(message)).find()) {
            return "a control character (code " + m.group(1) + ") inside a string; escape it, e.g. \\n or \\u0009";
        }
        if ((m = UTF8.matcher(message)).find()) {
            return "the body is not UTF-8 text (byte " + m.group(1) + ")";
        }
        if ((m = ESCAPE.matcher(message)).find()) {
            return "'\\" + quote(m.group(1)) + "' is not a JSON escape (use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)";
        }
        if ((m = BAD_NUMBER.matcher(message)).find()) {
            String detail = m.group(1).strip();
            return "not a valid number" + (detail.isEmpty() || InternalNames.appearIn(detail) ? ""
                    : " (" + detail.substring(0, 1).toLowerCase(Locale.ROOT) + detail.substring(1) + ")");
        }
        String first = message.split("\n", 2)[0].replaceAll("\\s*\\(?at \\[Source.*$", "").strip();
        return first.isEmpty() || InternalNames.appearIn(first) || first.contains("[") ? "a syntax error" : first;
    }

    /** What the parser expected instead of an unexpected character. */
    private static String expectation(String message) {
        if (message.contains("in numeric value")) {
            return " in a number" + (message.contains("plus sign") ? " (JSON numbers take no plus sign)" : "");
        }
        if (message.contains("double-quote to start field name")) {
            return " where a field name in double quotes should be";
        }
        if (message.contains("comma to separate Object entries")) {
            return " where ',' or '}' should be";
        }
        if (message.contains("comma to separate Array entries")) {
            return " where ',' or ']' should be";
        }
        if (message.contains("colon to separate field name and value")) {
            return " where ':' should follow the field name";
        }
        if (message.contains("expected a valid value") || message.contains("expected a value")) {
            return " where a value should be (a string, number, object, array, true, false or null)";
        }
        if (message.contains("closing quote")) {
            return " inside a string that is not closed";
        }
        return "";
    }

    private static String noun(String parserWord) {
        return parserWord.equals("Array") ? "array" : "object";
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " at line " + location.getLineNr()
                + (location.getColumnNr() < 1 ? "" : ", column " + location.getColumnNr());
    }

    private static String quote(String text) {
        return text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "...";
    }
}
