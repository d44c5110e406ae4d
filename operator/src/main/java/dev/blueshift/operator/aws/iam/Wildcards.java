package dev.blueshift.operator.aws.iam;

/**
 * IAM's wildcards ({@code *} any run of characters, {@code ?} one character) in patterns of
 * actions and ARNs. Pure.
 */
public final class Wildcards {
    private Wildcards() {}

    /** Whether some string matches both patterns (a literal is a pattern without wildcards). */
    public static boolean overlap(String a, String b, boolean ignoreCase) {
        return overlap(a, 0, b, 0, new Boolean[a.length() + 1][b.length() + 1], ignoreCase);
    }

    /** Whether {@code literal} matches {@code pattern}. */
    public static boolean matches(String pattern, String literal, boolean ignoreCase) {
        return !hasWildcard(literal) && overlap(pattern, literal, ignoreCase);
    }

    public static boolean hasWildcard(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
    }

    private static boolean overlap(String a, int i, String b, int j, Boolean[][] memo, boolean ignoreCase) {
        if (memo[i][j] != null) {
            return memo[i][j];
        }
        boolean result;
        if (i == a.length() && j == b.length()) {
            result = true;
        } else if (i < a.length() && a.charAt(i) == '*') {
            // a's star produces nothing, or one more character of what b produces.
            result = overlap(a, i + 1, b, j, memo, ignoreCase)
                    || (j < b.length() && overlap(a, i, b, j + 1, memo, ignoreCase));
        } else if (j < b.length() && b.charAt(j) == '*') {
            result = overlap(a, i, b, j + 1, memo, ignoreCase)
                    || (i < a.length() && overlap(a, i + 1, b, j, memo, ignoreCase));
        } else if (i < a.length() && j < b.length() && same(a.charAt(i), b.charAt(j), ignoreCase)) {
            result = overlap(a, i + 1, b, j + 1, memo, ignoreCase);
        } else {
            result = false;
        }
        memo[i][j] = result;
        return result;
    }

    private static boolean same(char x, char y, boolean ignoreCase) {
        return x == '?' || y == '?' || x == y || (ignoreCase && Character.toLowerCase(x) == Character.toLowerCase(y));
    }
}
