package dev.blueshift.sample.cache;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** Small helpers for completion stages: the real failure behind a wrapper, and a blocking wait. */
public final class Stages {
    private Stages() {}

    /** The failure a stage failed with, without the CompletionException a dependent stage adds. */
    public static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException || failure instanceof ExecutionException
                ? failure.getCause()
                : failure;
    }

    /** Waits for the stage; its failure is rethrown as it is when unchecked. Blocking. */
    public static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
