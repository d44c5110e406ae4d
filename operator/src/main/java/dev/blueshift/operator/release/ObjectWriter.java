package dev.blueshift.operator.release;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Optional;

/** Writes the objects an MSD owns; the strategies apply their plans through it, and tests record them. */
public interface ObjectWriter {
    /**
     * Applies {@code desired}.
     *
     * @param observed the object as the cache has it, if it does
     */
    <R extends HasMetadata> R apply(R desired, Optional<R> observed);

    /** Deletes {@code observed} if the MSD controls it. */
    void delete(HasMetadata observed);

    /** Sets one annotation on {@code observed} if the MSD controls it; nothing else of it changes. */
    void annotate(HasMetadata observed, String key, String value);
}
