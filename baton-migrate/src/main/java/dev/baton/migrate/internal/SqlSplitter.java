package dev.baton.migrate.internal;

import dev.baton.BatonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits PostgreSQL script text into statements at top-level semicolons. Knows line and block
 * comments (nested), single-quoted strings (with E'' backslash escapes), quoted identifiers,
 * dollar-quoted bodies ({@code $$ ... $$}, {@code $fn$ ... $fn$}) and SQL-standard
 * {@code BEGIN ATOMIC ... END} function bodies. psql meta-commands are refused: they are not SQL.
 */
public final class SqlSplitter {
    private final String text;
    private final String fileName;
    private final int firstLine;
    private int pos;
    private int line;

    private SqlSplitter(String text, String fileName, int firstLine) {
        this.text = text;
        this.fileName = fileName;
        this.firstLine = firstLine;
    }

    /** Statements of {@code text}, whose first line is line {@code firstLine} of {@code fileName}. */
    public static List<SqlStatement> split(String text, String fileName, int firstLine) {
        return new SqlSplitter(text, fileName, firstLine).run();
    }

    private List<SqlStatement> run() {
        List<SqlStatement> out = new ArrayList<>();
        line = firstLine;
        pos = 0;
        int n = text.length();
        int start = -1; // offset of the first significant char of the current statement
        int startLine = line;
        boolean lineStart = true; // only whitespace so far on this line
        int atomicDepth = 0;
        String prevWord = "";
        while (pos < n) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
                lineStart = true;
                continue;
            }
            if (Character.isWhitespace(c)) {
                pos++;
                continue;
            }
            if (c == '\\' && lineStart && atomicDepth == 0) {
                int end = text.indexOf('\n', pos);
                String meta = text.substring(pos, end < 0 ? n : end).trim();
                throw BatonException.usage(fileName + ":" + line + ": psql meta-command `" + meta
                        + "` is not SQL and cannot run here; Baton runs plain SQL: inline what it does"
                        + " (for \\i, copy the file's statements into this revision or a revision of its own)");
            }
            lineStart = false;
            if (c == '-' && peek(1) == '-') {
                skipLineComment();
                continue;
            }
            if (c == '/' && peek(1) == '*') {
                skipBlockComment();
                continue;
            }
            if (start < 0 && c != ';') {
                start = pos;
                startLine = line;
            }
            if (c == '\'') {
                boolean escapes = pos > 0 && (text.charAt(pos - 1) == 'E' || text.charAt(pos - 1) == 'e')
                        && (pos < 2 || !isIdentChar(text.charAt(pos - 2)));
                skipQuoted('\'', escapes);
            } else if (c == '"') {
                skipQuoted('"', false);
            } else if (c == '$' && dollarTagAt(pos) != null) {
                skipDollarQuoted(dollarTagAt(pos));
            } else if (c == ';') {
                pos++;
                if (atomicDepth == 0) {
                    if (start >= 0) {
                        out.add(new SqlStatement(text.substring(start, pos - 1).strip(), startLine));
                    }
                    start = -1;
                    prevWord = "";
                }
            } else if (isIdentStart(c)) {
                int wordStart = pos;
                while (pos < n && isIdentChar(text.charAt(pos))) {
                    pos++;
                }
                String word = text.substring(wordStart, pos).toUpperCase(Locale.ROOT);
                if (word.equals("ATOMIC") && prevWord.equals("BEGIN")) {
                    atomicDepth++;
                } else if (atomicDepth > 0 && word.equals("CASE")) {
                    atomicDepth++;
                } else if (atomicDepth > 0 && word.equals("END")) {
                    atomicDepth--;
                }
                prevWord = word;
            } else {
                pos++;
            }
        }
        if (start >= 0) {
            String last = text.substring(start).strip();
            if (!last.isEmpty()) {
                out.add(new SqlStatement(last, startLine));
            }
        }
        return out;
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < text.length() ? text.charAt(i) : '\0';
    }

    private void skipLineComment() {
        while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
        }
    }

    private void skipBlockComment() {
        int openLine = line;
        int depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '/' && peek(1) == '*') {
                depth++;
                pos += 2;
            } else if (c == '*' && peek(1) == '/') {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                if (c == '\n') {
                    line++;
                }
                pos++;
            }
        }
        throw BatonException.usage(fileName + ":" + openLine + ": comment /* is never closed with */");
    }

    private void skipQuoted(char quote, boolean backslashEscapes) {
        int openLine = line;
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
            }
            if (backslashEscapes && c == '\\') {
                if (peek(1) == '\n') {
                    line++;
                }
                pos += 2;
                continue;
            }
            pos++;
            if (c == quote) {
                if (pos < text.length() && text.charAt(pos) == quote) {
                    pos++; // doubled quote is an escaped quote
                } else {
                    return;
                }
            }
        }
        String what = quote == '\'' ? "string literal" : "quoted identifier";
        throw BatonException.usage(fileName + ":" + openLine + ": " + what + " opened with " + quote
                + " is never closed");
    }

    /** The dollar-quote tag ({@code $$} or {@code $name$}) starting at i, or null if none starts there. */
    private String dollarTagAt(int i) {
        if (i > 0 && isIdentChar(text.charAt(i - 1))) {
            return null; // part of an identifier such as a$b
        }
        int j = i + 1;
        if (j < text.length() && Character.isDigit(text.charAt(j))) {
            return null; // positional parameter $1
        }
        while (j < text.length() && isIdentChar(text.charAt(j)) && text.charAt(j) != '$') {
            j++;
        }
        if (j < text.length() && text.charAt(j) == '$') {
            return text.substring(i, j + 1);
        }
        return null;
    }

    private void skipDollarQuoted(String tag) {
        int openLine = line;
        int end = text.indexOf(tag, pos + tag.length());
        if (end < 0) {
            throw BatonException.usage(fileName + ":" + openLine + ": dollar-quoted text opened with " + tag
                    + " is never closed");
        }
        int stop = end + tag.length();
        for (int i = pos; i < stop; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        pos = stop;
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
