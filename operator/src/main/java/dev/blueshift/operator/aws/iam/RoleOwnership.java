package dev.blueshift.operator.aws.iam;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The tags that mark a role as an MSD's, and the rule that decides whether the operator may touch a
 * role it finds. Pure.
 */
public final class RoleOwnership {
    public static final String MANAGED_BY = "blueshift.dev/managed-by";
    public static final String MANAGER = "blueshift";
    public static final String CLUSTER = "blueshift.dev/cluster";
    public static final String NAMESPACE = "blueshift.dev/namespace";
    public static final String NAME = "blueshift.dev/name";
    /** On an MSD: "true" adopts an existing role of the derived name that carries no ownership tags. */
    public static final String ADOPT_ANNOTATION = "blueshift.dev/adopt-role";

    public enum Verdict {
        /** Our tags, this MSD: manage it. */
        OWNED,
        /** No ownership tags, and the MSD asks to adopt it: tag it, then manage it. */
        ADOPTABLE,
        /** Someone else's (no tags, no adopt annotation): never written, never deleted. */
        FOREIGN,
        /** Tagged for another MSD or cluster: never written, never deleted, not even when adoption is asked. */
        OTHER_OWNER
    }

    private RoleOwnership() {}

    public static Map<String, String> tags(String cluster, String namespace, String name) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(MANAGED_BY, MANAGER);
        tags.put(CLUSTER, cluster);
        tags.put(NAMESPACE, namespace);
        tags.put(NAME, name);
        return tags;
    }

    public static Verdict judge(
            Map<String, String> roleTags, String cluster, String namespace, String name, boolean adopt) {
        if (!roleTags.containsKey(MANAGED_BY) && !roleTags.containsKey(CLUSTER)) {
            return adopt ? Verdict.ADOPTABLE : Verdict.FOREIGN;
        }
        boolean ours = MANAGER.equals(roleTags.get(MANAGED_BY))
                && Objects.equals(cluster, roleTags.get(CLUSTER))
                && Objects.equals(namespace, roleTags.get(NAMESPACE))
                && Objects.equals(name, roleTags.get(NAME));
        return ours ? Verdict.OWNED : Verdict.OTHER_OWNER;
    }
}
