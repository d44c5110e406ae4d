package dev.blueshift.operator.reconcile;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a cached fabric8 object smaller without changing what it reads as. Every fabric8 model
 * object carries its own empty {@code additionalProperties} map (and some more, such as a pod spec's
 * {@code nodeSelector}) and an empty list for each of its list fields (a ReplicaSet's template alone has about 40), and Jackson gives each string value its
 * own copy (an MSD's name appears six times in each of its ReplicaSets). Here empty maps and
 * lists become shared immutable ones, and string values are interned. At 1000 MSDs that was about a tenth of the live heap (make bench, issue 15).
 *
 * <p>Only for objects in an informer cache, which nothing may change: a cached object is read,
 * or copied by a fabric8 builder (which copies maps and lists), never modified. (The reconciler
 * gets a copy of its MSD from the operator SDK, made through JSON, whose maps and lists are its
 * own.)
 */
final class CompactModel {
    /** fabric8's model and the MSD's own (its spec and status POJOs). */
    private static final List<String> MODEL_PACKAGES =
            List.of("io.fabric8.kubernetes.api.model", "dev.blueshift.operator.api.v1alpha1");

    private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();
    /** Values unique to each object: interning them would only fill the JVM's string table. */
    private static final java.util.Set<String> UNIQUE = java.util.Set.of("uid", "resourceVersion", "creationTimestamp");

    private CompactModel() {}

    /** {@code object}, compacted in place. */
    static <T> T compact(T object) {
        visit(object);
        return object;
    }

    private static void visit(Object object) {
        if (object == null || object instanceof Enum<?> || !isModel(object.getClass())) {
            return;
        }
        for (Field field : fields(object.getClass())) {
            try {
                Object value = field.get(object);
                Object compacted = compactValue(field, value);
                if (compacted != value) {
                    field.set(object, compacted);
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot compact " + field, e);
            }
        }
    }

    private static Object compactValue(Field field, Object value) {
        if (value instanceof String s) {
            return UNIQUE.contains(field.getName()) ? s : s.intern();
        }
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                return List.of();
            }
            if (list instanceof ArrayList<?> arrayList) {
                arrayList.trimToSize();
            }
            compactElements(list);
            return list;
        }
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                return Collections.emptyMap();
            }
            if (value.getClass() != java.util.LinkedHashMap.class && value.getClass() != java.util.HashMap.class) {
                return value;
            }
            @SuppressWarnings("unchecked")
            Map<Object, Object> values = (Map<Object, Object>) map;
            values.replaceAll((k, v) -> v instanceof String s ? s.intern() : v);
            compactElements(map.values());
            return value;
        }
        visit(value);
        return value;
    }

    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return MODEL_PACKAGES.stream().anyMatch(name::startsWith);
    }

    private static void compactElements(Collection<?> values) {
        for (Object element : values) {
            visit(element);
        }
    }

    private static List<Field> fields(Class<?> type) {
        return FIELDS.computeIfAbsent(type, t -> {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = t; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    int modifiers = f.getModifiers();
                    if (!Modifier.isStatic(modifiers)
                            && !Modifier.isFinal(modifiers)
                            && !f.getType().isPrimitive()) {
                        f.setAccessible(true);
                        fields.add(f);
                    }
                }
            }
            return List.copyOf(fields);
        });
    }
}
