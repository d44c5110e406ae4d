package dev.blueshift.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON patch that removes command annotations the operator acted on, each only if it still has
 * the value the operator read: a command given again after that read (another value, e.g. a new
 * timestamp) fails the patch's test and stays, to be acted on.
 */
final class CommandConsumption {
    private CommandConsumption() {}

    static String patch(Map<String, String> read, Set<String> commands) {
        List<Map<String, Object>> ops = new ArrayList<>();
        for (String command : commands) {
            String path = "/metadata/annotations/" + command.replace("~", "~0").replace("/", "~1");
            ops.add(op("test", path, read == null ? null : read.get(command)));
            ops.add(op("remove", path, null));
        }
        return Serialization.asJson(ops);
    }

    private static Map<String, Object> op(String op, String path, String value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op);
        m.put("path", path);
        if ("test".equals(op)) {
            m.put("value", value);
        }
        return m;
    }

    /** The API server refused the patch because a tested annotation changed or went away. */
    static boolean testFailed(KubernetesClientException e) {
        return e.getCode() == 409 || e.getCode() == 422;
    }
}
