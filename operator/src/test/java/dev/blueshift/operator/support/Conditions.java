package dev.blueshift.operator.support;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The condition of a type in a status, for assertions. */
public final class Conditions {
    private Conditions() {}

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null
                ? Optional.empty()
                : conditions.stream()
                        .filter(c -> Objects.equals(type, c.getType()))
                        .findFirst();
    }
}
