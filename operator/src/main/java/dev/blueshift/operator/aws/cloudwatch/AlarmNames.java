package dev.blueshift.operator.aws.cloudwatch;

import java.util.Optional;

/**
 * CloudWatch names of an MSD's alarms: {@code blueshift/<cluster>/<namespace>/<msd>/<alarm>/<revision>}.
 * The prefix up to the MSD's name (with its trailing '/') finds all of them and no other MSD's.
 * Kubernetes names contain no '/', so the parts cannot be confused. Pure.
 */
public final class AlarmNames {
    static final String ROOT = "blueshift/";

    private AlarmNames() {}

    public static String prefix(String cluster, String namespace, String msd) {
        return ROOT + cluster + "/" + namespace + "/" + msd + "/";
    }

    public static String of(String cluster, String namespace, String msd, String alarm, String revision) {
        return prefix(cluster, namespace, msd) + alarm + "/" + revision;
    }

    /** The revision part of a name under {@code prefix}. */
    public static Optional<String> revision(String prefix, String alarmName) {
        if (!alarmName.startsWith(prefix)) {
            return Optional.empty();
        }
        String[] parts = alarmName.substring(prefix.length()).split("/");
        return parts.length == 2 ? Optional.of(parts[1]) : Optional.empty();
    }
}
