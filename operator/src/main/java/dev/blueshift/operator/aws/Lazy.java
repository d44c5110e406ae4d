package dev.blueshift.operator.aws;

import java.util.function.Supplier;

/**
 * A value made on first use and kept once made: AWS clients (an operator without AWS MSDs never
 * builds one) and the account id (a failed STS call is tried again next time).
 */
final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> factory;
    private volatile T value;

    Lazy(Supplier<T> factory) {
        this.factory = factory;
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                if (value == null) {
                    value = factory.get();
                }
                v = value;
            }
        }
        return v;
    }

    boolean isMade() {
        return value != null;
    }
}
