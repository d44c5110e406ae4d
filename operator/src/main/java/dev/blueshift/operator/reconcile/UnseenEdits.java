package dev.blueshift.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.Objects;

/**
 * Whether the object a write returned shows edits the reconcile that wrote it did not read. JOSDK
 * drops the watch events of an edit that lands between our read and our own status write (it takes
 * them for echoes of that write), so without this check a user's command could wait for hours.
 */
final class UnseenEdits {
    private UnseenEdits() {}

    static boolean between(HasMetadata read, HasMetadata written) {
        if (written == null || written.getMetadata() == null) {
            return false;
        }
        ObjectMeta before = read.getMetadata();
        ObjectMeta after = written.getMetadata();
        return !Objects.equals(before.getGeneration(), after.getGeneration())
                || !orEmpty(before.getAnnotations()).equals(orEmpty(after.getAnnotations()))
                || !orEmpty(before.getLabels()).equals(orEmpty(after.getLabels()))
                || !Objects.equals(before.getDeletionTimestamp(), after.getDeletionTimestamp());
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
