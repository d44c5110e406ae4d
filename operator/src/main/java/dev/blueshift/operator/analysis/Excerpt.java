package dev.blueshift.operator.analysis;

/**
 * A short, printable excerpt of text that came from outside (a provider's answer, a tenant's
 * field), for status, Events and logs: line breaks and tabs become spaces, every other control,
 * format (e.g. bidi overrides), unassigned, private-use or surrogate character is dropped, and
 * the result is cut to a maximum length.
 */
public final class Excerpt {
    private Excerpt() {}

    public static String of(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int kept = 0;
        for (int c : text.codePoints().toArray()) {
            if (c == '\n' || c == '\r' || c == '\t') {
                c = ' ';
            } else if (!printable(c)) {
                continue;
            }
            if (kept == max) {
                return out + "...";
            }
            out.appendCodePoint(c);
            kept++;
        }
        return out.toString();
    }

    private static boolean printable(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.UNASSIGNED,
                    Character.PRIVATE_USE,
                    Character.SURROGATE,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
