package dev.blueshift.operator.aws.iam;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * IAM role names for MSDs: {@code bs-<namespace>-<name>-<hash>}, at most 64 characters (IAM's
 * limit). Namespace and name are shortened to fit and stay readable; the hash of cluster, namespace
 * and name keeps two MSDs (in two namespaces or two clusters of one account) from ever sharing a
 * role, even when their shortened names are equal.
 */
public final class RoleNames {
    public static final int MAX_LENGTH = 64;
    static final String PREFIX = "bs-";
    static final int HASH_LENGTH = 10;
    static final int MAX_NAMESPACE = 20;

    private RoleNames() {}

    public static String of(String cluster, String namespace, String name) {
        String hash = hash(cluster + "/" + namespace + "/" + name);
        int budget = MAX_LENGTH - PREFIX.length() - HASH_LENGTH - 2; // two '-' separators
        String ns = shorten(namespace, Math.min(MAX_NAMESPACE, budget / 2));
        String n = shorten(name, budget - ns.length());
        return PREFIX + ns + "-" + n + "-" + hash;
    }

    private static String shorten(String value, int max) {
        String s = value.length() <= max ? value : value.substring(0, max);
        // IAM allows [\w+=,.@-]; Kubernetes names are a subset. Trailing separators read badly.
        while (s.endsWith("-") || s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
